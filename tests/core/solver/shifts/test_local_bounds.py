"""Bounds proven on one rotation's week (core/solver/shifts/local_bounds.py): exact where the
week decides the cost alone, never above what a schedule of the whole model pays."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from ortools.sat.python import cp_model

from resched.core.demo import build_demo
from resched.core.model import HolidayRule, WeeklyQuota
from resched.core.solver.config import resolve_weights
from resched.core.solver.result import SolveStatus
from resched.core.solver.shifts import ShiftProblem, schedule_shifts
from resched.core.solver.shifts.build import build_model
from resched.core.solver.shifts.demo import dealt_plan, demo_shift_problem
from resched.core.solver.shifts.local_bounds import SUPERVISION, add_local_bounds
from resched.core.solver.shifts.problem import CONTINUITY_CLINIC, DEFAULT_WEIGHTS
from resched.core.solver.types import CancelToken
from tests.core.solver.shifts.test_holiday_programs import _pediatrics
from tests.core.solver.shifts.tiny import ROTATION, config, day, need, problem, residents, shift

WEIGHTS = resolve_weights(DEFAULT_WEIGHTS, {})
DAY_SHIFT = shift("ED-D", "07:00", 12 * 60)
NIGHT_SHIFT = shift("ED-N", "19:00", 12 * 60)
CLINIC = shift("CLIN", "13:00", 4 * 60)


def _emergency_part_week() -> ShiftProblem:
    """Three residents cover a day and a night shift every day, Wednesday to Sunday, each with
    a free day, and each should have a clinic afternoon in this part week. A clinic needs ten
    hours of rest on both sides, so it fits neither after a night nor before one, and the two
    others cover the clinic day: only one clinic fits, two residents go without (5 each)."""
    return problem(
        residents(1, 2, 2),
        (DAY_SHIFT, NIGHT_SHIFT, CLINIC),
        (need("ED-D", 1), need("ED-N", 1), need("CLIN", 0, 3, weekdays=range(1, 6))),
        start=day(2),
        days=5,
        quotas=(WeeklyQuota(("CLIN",), 1, 1),),
    )


def test_a_part_week_no_relaxation_sees_is_bounded_exactly() -> None:
    built = build_model(_emergency_part_week(), WEIGHTS)
    found = add_local_bounds(built.ctx)
    expected = 2 * WEIGHTS[CONTINUITY_CLINIC]
    assert [(c.group, c.monday, c.bound) for c in found.cuts] == [(ROTATION, day(0), expected)]
    assert found.statistics()["local_bound_total"] == expected


def test_the_solve_reports_the_piece_bound_and_the_optimum_it_meets() -> None:
    result = schedule_shifts(_emergency_part_week(), config(num_workers=1))
    expected = 2 * WEIGHTS[CONTINUITY_CLINIC]
    assert result.status is SolveStatus.OPTIMAL
    assert result.objective == result.best_bound == expected
    assert result.statistics["local_bound_total"] == expected
    held = [p for p in result.penalties if p.name == CONTINUITY_CLINIC]
    assert len(held) == 2  # two residents of the three without a clinic


def _demo_block() -> ShiftProblem:
    """Block 5 of the demo (it starts on a Wednesday, as every block does) on a dealt plan."""
    demo = build_demo()
    plan = tuple(c for b in demo.year.blocks for c in dealt_plan(demo, 5, turn=5))
    return demo_shift_problem(demo, plan, block=5, lookahead_days=7)


CASES: dict[str, Callable[[], ShiftProblem]] = {
    "demo block 5": _demo_block,
    "pediatrics-like": lambda: _pediatrics(HolidayRule.ANY, HolidayRule.ANY),
    "emergency part week": _emergency_part_week,
}


@pytest.mark.parametrize("case", list(CASES))
def test_no_bound_is_above_what_a_schedule_of_the_whole_model_pays(case: str) -> None:
    """A schedule searched without the bounds keeps every piece at or above its bound: the
    constraints added cut off no schedule."""
    built = build_model(CASES[case](), WEIGHTS)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = 5.0
    solver.parameters.random_seed = 3
    status = solver.solve(built.ctx.model)
    assert status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    found = add_local_bounds(built.ctx)
    for cut in found.cuts:
        paid = sum(t.weight * solver.value(t.expr) for t in cut.terms)
        assert paid >= cut.bound, (cut.group, cut.monday)
    if case != "pediatrics-like":  # the small program's weeks cost nothing of themselves
        assert found.cuts


def test_pieces_are_weeks_of_the_range_by_rotation_and_of_supervised_shifts() -> None:
    problem_ = _demo_block()
    found = add_local_bounds(build_model(problem_, WEIGHTS).ctx)
    weeks = set()
    day_ = problem_.start
    while day_ <= problem_.end:
        weeks.add(day_ - dt.timedelta(days=day_.weekday()))
        day_ += dt.timedelta(days=1)
    groups = {r.code for r in problem_.rotations} | {SUPERVISION}
    assert found.pieces <= len(weeks) * len(groups)
    for cut in found.cuts:
        assert cut.monday in weeks
        assert cut.group in groups
        assert all(problem_.start <= t.date <= problem_.end for t in cut.terms if t.date)
    # The demo's clinic sessions need preceptors by ratio: its full weeks cost something alone.
    assert {c.monday for c in found.cuts if c.group == SUPERVISION} >= weeks - {
        min(weeks),
        max(weeks),
    }


def test_pieces_searched_side_by_side_give_the_same_cuts_as_one_at_a_time() -> None:
    """Each piece has the same allowance whatever order the threads finish in: two threads
    add exactly the constraints one adds, on the demo and on the pediatrics-like program."""
    for case in ("demo block 5", "pediatrics-like"):
        problem_ = CASES[case]()
        one = add_local_bounds(build_model(problem_, WEIGHTS).ctx, seed=2, workers=1)
        two = add_local_bounds(build_model(problem_, WEIGHTS).ctx, seed=2, workers=2)
        assert one.pieces == two.pieces
        assert [(c.group, c.monday, c.bound) for c in one.cuts] == [
            (c.group, c.monday, c.bound) for c in two.cuts
        ], case
        assert one.work == pytest.approx(two.work)


def test_a_cancelled_solve_searches_no_piece() -> None:
    cancel = CancelToken()
    cancel.cancel()
    built = build_model(_demo_block(), WEIGHTS)
    before = len(built.ctx.model.proto.constraints)
    found = add_local_bounds(built.ctx, cancel=cancel, workers=2)
    assert found.pieces > 0
    assert found.cuts == ()
    assert found.work == 0
    assert len(built.ctx.model.proto.constraints) == before
