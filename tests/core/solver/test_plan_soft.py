"""Soft goals: each missed goal is a named penalty with a person, a block and a reason, and the
penalties add up to the objective."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from resched.core.errors import Invalid
from resched.core.model import BlockAssignment, Request, RequestKind
from resched.core.solver import SolveResult, SolveStatus
from resched.core.solver.plan import (
    HEAVY_BALANCE,
    HEAVY_STREAK,
    ROTATION_REQUEST,
    SPLIT_BLOCK,
    VACATION_REQUEST,
    PlanProblem,
    RotationPlan,
    plan_rotations,
)
from resched.core.solver.plan import solve as solve_module
from tests.core.solver.tiny import FAST, problem, residents, rotation


def run(p: PlanProblem, **config: object) -> SolveResult[RotationPlan]:
    result = plan_rotations(p, dataclasses.replace(FAST, **config))  # type: ignore[arg-type]
    assert result.status is SolveStatus.OPTIMAL
    assert result.is_valid, result.violations
    assert result.objective == sum(p.cost for p in result.penalties)
    return result


def wish(
    person: int,
    p: PlanProblem,
    block: int,
    kind: RequestKind,
    code: str | None = None,
    weight: int = 1,
) -> Request:
    b = p.blocks[block - 1]
    return Request(person, kind, b.start, b.end, rotation_code=code, weight=weight)


def test_rotation_request_granted_when_possible() -> None:
    p = problem(
        residents(1, 1), (rotation("WARDS", cap=(1, 1)), rotation("CARDS", cap=(1, 1))), count=2
    )
    p = dataclasses.replace(p, requests=(wish(1, p, 2, RequestKind.ROTATION, "CARDS"),))
    result = run(p)
    assert result.solution is not None
    assert result.solution.rotation_at(1, 2) == "CARDS"
    assert result.penalties == ()


def test_rotation_request_denied_by_a_lock_is_reported() -> None:
    p = problem(
        residents(1, 1), (rotation("WARDS", cap=(1, 1)), rotation("CARDS", cap=(1, 1))), count=2
    )
    p = dataclasses.replace(
        p,
        requests=(wish(1, p, 2, RequestKind.ROTATION, "CARDS", weight=3),),
        locked=(BlockAssignment(2, 2, "CARDS"),),
    )
    result = run(p)
    (penalty,) = result.penalties
    assert (penalty.name, penalty.person_id, penalty.block) == (ROTATION_REQUEST, 1, 2)
    assert (penalty.weight, penalty.amount, penalty.cost) == (10, 3, 30)
    assert penalty.explanation == "Dr R1 (r1) asked for CARDS in block 2 but is on WARDS"


def test_vacation_request_prefers_a_leave_eligible_rotation() -> None:
    p = problem(
        residents(1, 1),
        (rotation("WARDS", cap=(1, 1)), rotation("CLINIC", cap=(1, 1), leave=True)),
        count=1,
    )
    vacation = dataclasses.replace(
        wish(2, p, 1, RequestKind.VACATION), end=p.blocks[0].start + dt.timedelta(days=6)
    )
    result = run(dataclasses.replace(p, requests=(vacation,)))
    assert result.solution is not None
    assert result.solution.rotation_at(2, 1) == "CLINIC"

    both = (vacation, dataclasses.replace(vacation, person_id=1))
    result = run(dataclasses.replace(p, requests=both))
    (penalty,) = result.penalties
    assert penalty.name == VACATION_REQUEST
    assert "not leave-eligible" in penalty.explanation


def test_heavy_streak_penalised_per_window_and_switchable_by_weight() -> None:
    """One resident, four blocks, three of them Wards (heavy): with runs of at most 1 allowed,
    the best plan alternates as far as it can and still has one run of two."""
    wards = rotation("WARDS", yearly={1: (3, 3)})
    p = dataclasses.replace(
        problem(residents(1), (wards, rotation("CLINIC")), count=4),
        heavy_rotations=frozenset({"WARDS"}),
        max_heavy_run=1,
    )
    result = run(p)
    assert [x.name for x in result.penalties] == [HEAVY_STREAK]
    assert result.penalties[0].person_id == 1
    assert "without a break" in result.penalties[0].explanation

    result = run(p, weights={HEAVY_STREAK: 0})
    assert result.penalties == ()
    assert result.objective == 0


def test_heavy_balance_allows_one_block_and_charges_the_rest() -> None:
    wards = rotation("WARDS", cap=(1, 1))
    p = dataclasses.replace(
        problem(residents(2, 2), (wards, rotation("ELEC")), count=4),
        heavy_rotations=frozenset({"WARDS"}),
        max_heavy_run=4,
    )
    assert run(p).penalties == ()  # two blocks each

    locks = tuple(BlockAssignment(1, b, "WARDS") for b in (1, 2, 3))
    result = run(dataclasses.replace(p, locked=locks))
    (penalty,) = result.penalties
    assert penalty.name == HEAVY_BALANCE
    assert penalty.amount == 1
    assert "PGY-2 heavy rotations are uneven" in penalty.explanation


def test_program_and_solve_weights_are_applied_in_order() -> None:
    wards = rotation("WARDS", yearly={1: (3, 3)})
    p = dataclasses.replace(
        problem(residents(1), (wards, rotation("CLINIC")), count=4),
        heavy_rotations=frozenset({"WARDS"}),
        max_heavy_run=1,
        weights={HEAVY_STREAK: 7},
    )
    assert run(p).objective == 7
    assert run(p, weights={HEAVY_STREAK: 2}).objective == 2
    with pytest.raises(Invalid, match="unknown penalty weight"):
        plan_rotations(p, dataclasses.replace(FAST, weights={"heavy_streaks": 1}))


def test_a_plan_failing_the_checker_is_returned_with_its_violations(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The planner never hides what the independent checker says, even about its own plan."""
    monkeypatch.setattr(solve_module, "check_plan", lambda problem, plan: ["block 1: broken"])
    p = problem(residents(1), (rotation("WARDS"),), count=1)
    result = plan_rotations(p, FAST)
    assert result.status is SolveStatus.OPTIMAL
    assert result.solution is not None
    assert result.violations == ("block 1: broken",)
    assert not result.is_valid


def test_malformed_input_is_refused_before_solving() -> None:
    p = problem(residents(1), (rotation("WARDS"),), count=1)
    with pytest.raises(Invalid, match="unknown rotation 'ICU'"):
        plan_rotations(dataclasses.replace(p, locked=(BlockAssignment(1, 1, "ICU"),)), FAST)
    with pytest.raises(Invalid, match="heavy rotation 'WARD' is not a rotation"):
        plan_rotations(dataclasses.replace(p, heavy_rotations=frozenset({"WARD"})), FAST)
    needs_icu = dataclasses.replace(p.rotations[0], prerequisites=("ICU",))
    with pytest.raises(Invalid, match="Wards: prerequisites: unknown rotation 'ICU'"):
        plan_rotations(dataclasses.replace(p, rotations=(needs_icu,)), FAST)
    needs_itself = dataclasses.replace(p.rotations[0], prerequisites=("WARDS",))
    with pytest.raises(Invalid, match="cannot be its own prerequisite"):
        plan_rotations(dataclasses.replace(p, rotations=(needs_itself,)), FAST)
    with pytest.raises(Invalid, match="no PGY level"):
        plan_rotations(
            dataclasses.replace(p, residents=(dataclasses.replace(p.residents[0], pgy=None),)), FAST
        )


def test_same_seed_same_plan() -> None:
    """Repeatable only when the search ends by itself: with one worker CP-SAT's search is a
    deterministic function of model and seed, and the time limit is never reached here. (Two
    workers race, so even two optimal plans may differ between runs; ``deterministic=True``
    removes the race at some cost in speed.)"""
    people = residents(1, 1, 1, 2, 2, 2)
    rotations = (
        rotation("WARDS", cap=(2, 2), yearly={1: (2, 3), 2: (1, 2)}),
        rotation("ICU", cap=(1, 1), not_adjacent=("NF",)),
        rotation("NF", cap=(1, 1), not_adjacent=("NF",)),
        rotation("ELEC", leave=True),
    )
    p = dataclasses.replace(
        problem(people, rotations, count=6), heavy_rotations=frozenset({"WARDS", "ICU", "NF"})
    )
    one = dataclasses.replace(FAST, num_workers=1, seed=11)
    first, second = plan_rotations(p, one), plan_rotations(p, one)
    assert first.status is SolveStatus.OPTIMAL
    assert first.solution == second.solution
    assert first.penalties == second.penalties
    interleaved = dataclasses.replace(FAST, deterministic=True, seed=11)
    assert plan_rotations(p, interleaved).solution == plan_rotations(p, interleaved).solution


def test_a_split_block_costs_one_and_is_avoided_when_free() -> None:
    research = rotation("RESEARCH", half=True, yearly={1: (1, 2)})
    clinic = rotation("CLINIC", half=True, leave=True)
    p = problem(residents(1), (research, clinic), count=2)
    result = run(p)
    assert result.penalties == ()
    assert all(a.half is None for a in result.solution.assignments)  # type: ignore[union-attr]

    halves = (BlockAssignment(1, 2, "CLINIC", half=1), BlockAssignment(1, 2, "RESEARCH", half=2))
    split = dataclasses.replace(p, locked=halves)
    (penalty,) = run(split).penalties
    assert (penalty.name, penalty.block) == (SPLIT_BLOCK, 2)
    assert (
        penalty.explanation == "Dr R1 (r1) changes from CLINIC to RESEARCH in the middle of block 2"
    )
