"""The greedy first plan (plan/greedy.py) keeps every hard rule, on the demo and on the second
program shape; a dead end gives no plan; and the search started from it ends where a cold one
does."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from itertools import product

import pytest

from resched.core.demo import build_demo
from resched.core.model import Absence, AbsenceType, BlockAssignment
from resched.core.solver import SolveStatus
from resched.core.solver.config import resolve_weights
from resched.core.solver.plan import (
    DEFAULT_WEIGHTS,
    PlanProblem,
    RotationPlan,
    check_plan,
    plan_rotations,
    score_plan,
)
from resched.core.solver.plan.demo import demo_plan_problem
from resched.core.solver.plan.greedy import greedy_plan
from tests.core.solver.tiny import FAST, problem, residents, rotation
from tests.plan_data import PEDS_PGYS, PEDS_ROTATIONS


def _weights(p: PlanProblem) -> dict[str, int]:
    return dict(resolve_weights(DEFAULT_WEIGHTS, p.weights))


def _legal_and_whole(p: PlanProblem) -> RotationPlan:
    first = greedy_plan(p, _weights(p))
    assert first is not None
    plan = RotationPlan(first)
    assert check_plan(p, plan) == []
    cells = Counter((a.person_id, a.block_number) for a in first)
    assert set(cells) == {(r.id, b.number) for r in p.residents for b in p.blocks}
    assert set(cells.values()) == {1}
    assert {a.half for a in first} == {None}
    return plan


@pytest.fixture(name="demo", scope="module")
def demo_fixture() -> PlanProblem:
    return demo_plan_problem(build_demo())


def test_demo_greedy_plan_keeps_every_rule_and_is_repeatable(demo: PlanProblem) -> None:
    plan = _legal_and_whole(demo)
    assert greedy_plan(demo, _weights(demo)) == plan.assignments
    # Its cost is at least the proven optimum of the demo (165: 33 heavy windows of weight 5).
    assert sum(p.cost for p in score_plan(demo, plan, _weights(demo))) >= 165


def test_second_program_shape_greedy_plan_keeps_every_rule() -> None:
    """Prerequisites (PICU after Wards), a rotation not twice in a row, half-block rotations
    (planned whole here) and leave."""
    people = residents(*PEDS_PGYS)
    p = problem(people, PEDS_ROTATIONS, count=12)
    leave = p.blocks[3].start + dt.timedelta(days=7)
    away = Absence(1, leave, leave + dt.timedelta(days=4), AbsenceType.VACATION)
    p = dataclasses.replace(p, absences=(away,))
    plan = _legal_and_whole(p)
    assert plan.rotation_at(1, 4) in {"NURS", "CLIN"}
    for person in people:
        codes = [plan.rotation_at(person.id, b.number) for b in p.blocks]
        assert "PW" in codes[: codes.index("PICU")]


def test_locks_are_kept() -> None:
    p = problem(residents(1, 1), (rotation("A", cap=(1, 1)), rotation("B", cap=(1, 1))), count=3)
    p = dataclasses.replace(p, locked=(BlockAssignment(2, 2, "A", locked=True),))
    plan = _legal_and_whole(p)
    assert plan.rotation_at(2, 2) == "A"
    assert any(a.locked for a in plan.assignments if (a.person_id, a.block_number) == (2, 2))


def test_a_dead_end_gives_no_plan() -> None:
    """Two residents, one place on A a block, and each needs A in both blocks: no plan."""
    a = rotation("A", cap=(0, 1), yearly={1: (2, 2)})
    p = problem(residents(1, 1), (a, rotation("B")), count=2)
    assert greedy_plan(p, _weights(p)) is None


def test_the_search_from_the_greedy_plan_ends_at_the_cold_optimum() -> None:
    """A heavy rotation filling most places: the streak penalty is forced, and starting from
    the greedy plan or from nothing proves the same optimum."""
    heavy = rotation("H", cap=(2, 2), yearly={1: (3, 5)})
    light = rotation("L", cap=(1, 1), leave=True)
    p = problem(residents(1, 1, 1), (heavy, light), count=6)
    p = dataclasses.replace(p, heavy_rotations=frozenset({"H"}), max_heavy_run=1)
    hinted = plan_rotations(p, FAST)
    # Hints of the caller replace the greedy plan; one for nobody in the plan hints nothing.
    cold = plan_rotations(p, dataclasses.replace(FAST, hints=(BlockAssignment(99, 1, "L"),)))
    assert hinted.status is cold.status is SolveStatus.OPTIMAL
    assert hinted.objective == cold.objective
    assert hinted.statistics["greedy_objective"] >= hinted.objective  # type: ignore[operator]
    # The greedy cells were extended to every penalty variable (build.complete_hint).
    assert hinted.statistics["hint_complete"] == 1
    assert "greedy_objective" not in cold.statistics


def test_the_window_cuts_keep_the_brute_force_optimum() -> None:
    """Three residents of two PGY levels, five blocks, two heavy places and one light place a
    block: every legal plan is one choice of who is light in each block (3^5), so the optimum
    is known by trying them all; the model with its redundant window cuts proves the same."""
    heavy = rotation("H", cap=(2, 2))
    light = rotation("L", cap=(1, 1), leave=True)
    p = problem(residents(1, 1, 2), (heavy, light), count=5)
    away = Absence(3, p.blocks[0].start, p.blocks[0].start, AbsenceType.VACATION)
    p = dataclasses.replace(p, heavy_rotations=frozenset({"H"}), max_heavy_run=1, absences=(away,))
    weights = _weights(p)
    best = None
    for lights in product(range(1, 4), repeat=len(p.blocks)):
        plan = RotationPlan(
            tuple(
                BlockAssignment(r.id, b.number, "L" if r.id == who else "H")
                for b, who in zip(p.blocks, lights, strict=True)
                for r in p.residents
            )
        )
        if check_plan(p, plan) == []:
            cost = sum(x.cost for x in score_plan(p, plan, weights))
            best = cost if best is None else min(best, cost)
    solved = plan_rotations(p, FAST)
    assert solved.status is SolveStatus.OPTIMAL
    assert best is not None
    assert best > 0
    assert solved.objective == best


def test_a_hint_that_breaks_a_rule_is_left_as_a_guide() -> None:
    """Both residents hinted on A, which takes one: the hint cannot be completed, the search
    still finds the optimum."""
    p = problem(residents(1, 1), (rotation("A", cap=(1, 1)), rotation("B", cap=(1, 1))), count=1)
    both_on_a = (BlockAssignment(1, 1, "A"), BlockAssignment(2, 1, "A"))
    result = plan_rotations(p, dataclasses.replace(FAST, hints=both_on_a))
    assert result.status is SolveStatus.OPTIMAL
    assert result.statistics["hint_complete"] == 0
    assert result.statistics["hinted_cells"] == 2
