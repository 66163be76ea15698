"""Every rule family of the rotation planner, alone, on a fixed plan: hard families hold and
fail where they should; soft families cost exactly what they say (unit weights, so a cost is
the amount times the request's own weight)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import pytest

from resched.core.model import BlockAssignment, Request, RequestKind
from resched.core.solver.config import resolve_weights
from resched.core.solver.families import Kind
from resched.core.solver.plan import plan_rotations
from resched.core.solver.plan.build import RULE_FAMILIES
from resched.core.solver.plan.problem import (
    DEFAULT_WEIGHTS,
    HEAVY_BALANCE,
    HEAVY_STREAK,
    ROTATION_REQUEST,
    SPLIT_BLOCK,
    VACATION_REQUEST,
    PlanProblem,
)
from tests.core.solver.harness import PlanCell, plan_rule
from tests.core.solver.tiny import FAST, absence, blocks, problem, residents, rotation


def rows(*plans: str) -> list[BlockAssignment]:
    """One string per resident (id 1, 2, ...), one letter per block: "AB" is A in block 1, B in
    block 2."""
    return [
        BlockAssignment(pid, block, code)
        for pid, plan in enumerate(plans, start=1)
        for block, code in enumerate(plan, start=1)
    ]


def feasible(p: PlanProblem, family: str, plan: Sequence[BlockAssignment | PlanCell]) -> bool:
    return plan_rule(p, family, plan).feasible


def cost(p: PlanProblem, family: str, plan: Sequence[BlockAssignment]) -> dict[str, int]:
    verdict = plan_rule(p, family, plan)
    assert verdict.feasible
    return verdict.penalties


AB = (rotation("A"), rotation("B"))


# Hard families -------------------------------------------------------------------------------


def test_structure_one_rotation_per_resident_and_slot() -> None:
    p = problem(residents(1), AB, count=2)
    assert feasible(p, "structure", rows("AB"))
    assert not feasible(p, "structure", [*rows("AB"), (1, 0, "B")])  # two rotations in block 1
    assert not feasible(p, "structure", rows("A"))  # nothing in block 2


def test_structure_whole_block_rotation_fills_both_halves() -> None:
    halves = (rotation("A", half=True), rotation("B"))
    p = problem(residents(1), halves, count=1)
    assert feasible(p, "structure", [(1, 0, "A"), (1, 1, "A")])
    assert feasible(p, "structure", [(1, 0, "A"), (1, 1, "B")]) is False  # B is whole-block


def test_eligibility_by_pgy() -> None:
    p = problem(residents(1), (rotation("A", pgy=(2, 3)), rotation("B")), count=1)
    assert feasible(p, "eligibility", rows("B"))
    assert not feasible(p, "eligibility", rows("A"))


def test_capacity_min_and_max_per_block() -> None:
    p = problem(residents(1, 1), (rotation("A", cap=(1, 1)), rotation("B")), count=2)
    assert feasible(p, "capacity", rows("AB", "BA"))
    assert not feasible(p, "capacity", rows("AB", "AA"))  # two on A in block 1
    assert not feasible(p, "capacity", rows("AB", "BB"))  # none on A in block 2


def test_yearly_requirement_min_and_max() -> None:
    p = problem(residents(1), (rotation("A", yearly={1: (2, 2)}), rotation("B")), count=3)
    assert feasible(p, "yearly", rows("AAB"))
    assert not feasible(p, "yearly", rows("ABB"))
    assert not feasible(p, "yearly", rows("AAA"))


def test_approved_leave_only_on_leave_eligible_rotations() -> None:
    leave = (absence(1, blocks(2)[1]),)
    p = problem(residents(1), (rotation("A"), rotation("V", leave=True)), count=2, absences=leave)
    assert feasible(p, "leave", rows("AV"))
    assert not feasible(p, "leave", rows("VA"))


def test_forbidden_sequences_either_order() -> None:
    rotations = (rotation("N", not_adjacent=("N", "I")), rotation("I"), rotation("W"))
    p = problem(residents(1), rotations, count=3)
    assert feasible(p, "sequences", rows("NWN"))
    assert not feasible(p, "sequences", rows("NNW"))
    assert not feasible(p, "sequences", rows("WIN"))  # I then N: symmetric


def test_prerequisites_come_earlier_in_the_year() -> None:
    p = problem(residents(1), (rotation("A"), rotation("B", needs=("A",))), count=2)
    assert feasible(p, "prerequisites", rows("AB"))
    assert not feasible(p, "prerequisites", rows("BA"))


def test_locks_hold() -> None:
    p = problem(residents(1), AB, count=2, locked=(BlockAssignment(1, 2, "B", locked=True),))
    assert feasible(p, "locks", rows("AB"))
    assert not feasible(p, "locks", rows("BA"))


# Soft families -------------------------------------------------------------------------------


def test_requests_cost_their_weight_per_slot_off_the_wish() -> None:
    year = blocks(2)
    wishes = (
        Request(1, RequestKind.ROTATION, year[0].start, year[0].end, rotation_code="A", weight=3),
        Request(1, RequestKind.VACATION, year[1].start, year[1].start, weight=2),
    )
    rotations = (rotation("A"), rotation("V", leave=True))
    p = problem(residents(1), rotations, count=2, requests=wishes)
    assert cost(p, "requests", rows("AV")) == {}
    assert cost(p, "requests", rows("VA")) == {ROTATION_REQUEST: 3, VACATION_REQUEST: 2}


def test_heavy_streak_one_per_window_heavy_throughout() -> None:
    rotations = (rotation("H"), rotation("L"))
    p = problem(residents(1), rotations, count=4, heavy_rotations=frozenset({"H"}), max_heavy_run=1)
    assert cost(p, HEAVY_STREAK, rows("HLHL")) == {}
    assert cost(p, HEAVY_STREAK, rows("HHLH")) == {HEAVY_STREAK: 1}
    assert cost(p, HEAVY_STREAK, rows("HHHH")) == {HEAVY_STREAK: 3}


def test_heavy_balance_charges_the_spread_beyond_one_block() -> None:
    rotations = (rotation("H"), rotation("L"))
    p = problem(residents(1, 1), rotations, count=3, heavy_rotations=frozenset({"H"}))
    assert cost(p, HEAVY_BALANCE, rows("HHL", "HLL")) == {}
    assert cost(p, HEAVY_BALANCE, rows("HHH", "LLL")) == {HEAVY_BALANCE: 2}


def test_split_block_costs_one_per_block_whose_halves_differ() -> None:
    rotations = (rotation("A", half=True), rotation("B", half=True))
    p = problem(residents(1), rotations, count=2)
    assert cost(p, SPLIT_BLOCK, rows("AB")) == {}
    split = [(1, 0, "A"), (1, 1, "B"), (1, 2, "B"), (1, 3, "A")]
    assert plan_rule(p, SPLIT_BLOCK, split).penalties == {SPLIT_BLOCK: 2}


def test_every_family_is_tested_here() -> None:
    """A new row of the planner's RULE_FAMILIES needs its test in this file."""
    tested = {
        "structure", "eligibility", "capacity", "yearly", "leave", "sequences", "prerequisites",
        "locks", "requests", HEAVY_STREAK, HEAVY_BALANCE, SPLIT_BLOCK,
    }  # fmt: skip
    assert {f.name for f in RULE_FAMILIES} == tested
    assert all(f.penalties for f in RULE_FAMILIES if f.kind is Kind.SOFT)
    # Every penalty the solver weighs belongs to a family (whose test checks its cost).
    assert {n for f in RULE_FAMILIES for n in f.penalties} == set(DEFAULT_WEIGHTS)


def test_a_cell_outside_the_model_is_refused() -> None:
    p = problem(residents(1), AB, count=1)
    with pytest.raises(ValueError, match="not cells"):
        plan_rule(p, "structure", [(1, 0, "Z")])
    with pytest.raises(ValueError, match="unknown rule families"):
        plan_rule(p, "night-float", [])


def test_a_solved_plan_family_by_family_agrees_with_the_scorer() -> None:
    """Half blocks, heavy rotations, leave and requests: the plan the full solve returns holds
    under each hard family alone, and each soft family alone costs what the independent scorer
    (score.py) charges for its penalty names."""
    year = blocks(4)
    wishes = (
        Request(1, RequestKind.ROTATION, year[0].start, year[0].end, rotation_code="H", weight=2),
        Request(2, RequestKind.ROTATION, year[0].start, year[0].end, rotation_code="H"),
        Request(3, RequestKind.VACATION, year[2].start, year[2].start, weight=3),
    )
    rotations = (
        rotation("H", cap=(1, 1), yearly={1: (2, 3)}),  # both PGY-1 can't have block 1
        rotation("A", half=True),
        rotation("V", half=True, leave=True),
    )
    p = problem(
        residents(1, 1, 2),
        rotations,
        count=4,
        requests=wishes,
        absences=(absence(2, year[3]),),
        heavy_rotations=frozenset({"H"}),
        max_heavy_run=1,
    )
    result = plan_rotations(p, FAST)
    assert result.solution is not None
    assert result.is_valid, result.violations
    scored: Counter[str] = Counter()
    for penalty in result.penalties:
        scored[penalty.name] += penalty.cost
    weights = resolve_weights(DEFAULT_WEIGHTS, p.weights)
    plan = result.solution.assignments
    for family in RULE_FAMILIES:
        verdict = plan_rule(p, family.name, plan, weights)
        assert verdict.feasible, family.name
        assert verdict.penalties == {n: scored[n] for n in family.penalties if scored[n]}
    assert sum(scored.values()) > 0, scored  # the comparison compared something
