"""A long look-ahead solved in two stages (staged.py): the range under a short look-ahead, then
its continuation over the long one, and the long model whole when the range cannot be
continued. Block 2 is a rigid rotation: two residents on DAY Monday to Saturday, so exactly one
free day in seven and no slack for the 28-day windows that reach back into block 1."""

from __future__ import annotations

from dataclasses import replace

import pytest

from resched.core.model import (
    Assignment,
    Block,
    BlockAssignment,
    CoverageRequirement,
    Eligibility,
    Request,
    RequestKind,
    Role,
    Rotation,
)
from resched.core.solver import SolveStatus
from resched.core.solver.shifts import ShiftProblem, schedule_shifts
from resched.core.solver.shifts import solve as solve_module
from resched.core.solver.shifts import staged as staged_module
from resched.core.solver.shifts.staged import (
    STAGED_LOOKAHEAD_DAYS,
    STAGED_MIN_SECONDS,
    short_problem,
)
from tests.core.solver.shifts.tiny import DAY, config, day, need, problem, residents

LAST = 27  # block 1's last day, a Sunday: block 2's windows need it free


def _two_blocks(*, wanted_on_last_day: bool = False) -> ShiftProblem:
    people = residents(1, 1)
    rigid = CoverageRequirement(
        "DAY",
        frozenset(range(1, 7)),
        2,
        2,
        eligibility=Eligibility(roles=frozenset({Role.RESIDENT}), rotations=frozenset({"N"})),
        name="N days",
        dates=frozenset(day(LAST + 1 + i) for i in range(28)),
    )
    free = replace(need("DAY", 0, 2), eligibility=Eligibility(rotations=frozenset({"R"})))
    case = problem(people, [DAY], [free, rigid])
    blocks = (Block(1, day(0), day(LAST)), Block(2, day(LAST + 1), day(LAST + 28)))
    plan = tuple(
        BlockAssignment(p.id, number, code) for p in people for number, code in ((1, "R"), (2, "N"))
    )
    wishes = (
        tuple(Request(p.id, RequestKind.SHIFT_ON, day(LAST), day(LAST), "DAY") for p in people)
        if wanted_on_last_day
        else ()
    )
    return replace(
        case,
        blocks=blocks,
        plan=plan,
        rotations=(*case.rotations, Rotation("N", "Rigid")),
        requests=wishes,
        lookahead_days=27,
    )


def _unstaged(case: ShiftProblem, monkeypatch: pytest.MonkeyPatch) -> float | None:
    with monkeypatch.context() as patch:
        patch.setattr(staged_module, "STAGED_LOOKAHEAD_DAYS", case.lookahead_days)
        assert short_problem(case, config()) is None
        whole = schedule_shifts(case, config(num_workers=1))
    assert whole.status is SolveStatus.OPTIMAL
    return whole.objective


def test_the_stages_apply_only_to_a_long_look_ahead_without_published_days_after() -> None:
    case = _two_blocks()
    short = short_problem(case, config())
    assert short is not None
    assert short.lookahead_days == STAGED_LOOKAHEAD_DAYS
    assert short_problem(replace(case, lookahead_days=STAGED_LOOKAHEAD_DAYS), config()) is None
    assert short_problem(replace(case, after=()), config()) is not None
    published_after = replace(case, after=(Assignment(1, day(LAST + 1), "DAY"),))
    assert short_problem(published_after, config()) is None
    assert short_problem(case, config(time_limit_s=STAGED_MIN_SECONDS / 2)) is None


def test_a_continuable_range_is_the_long_models_optimum(monkeypatch: pytest.MonkeyPatch) -> None:
    case = _two_blocks()
    result = schedule_shifts(case, config(num_workers=1), staged=True)
    assert result.status is SolveStatus.OPTIMAL
    assert result.statistics["continued"] == 1
    assert result.statistics["variables"] == result.statistics["short_variables"]
    assert not result.violations
    assert result.objective == _unstaged(case, monkeypatch)
    by_default = schedule_shifts(case, config(num_workers=1))
    assert "staged_lookahead_days" not in by_default.statistics  # the stages are asked for
    assert by_default.objective == result.objective


def test_a_range_the_short_look_ahead_cannot_see_past_is_solved_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case = _two_blocks(wanted_on_last_day=True)
    short = short_problem(case, config())
    assert short is not None
    # Alone, the short look-ahead grants the wish: the last Sunday worked, which block 2's
    # windows (one free day in seven, none to spare) cannot make up for.
    alone = schedule_shifts(short, config(num_workers=1))
    assert alone.solution is not None
    assert alone.objective is not None
    assert {a.person_id for a in alone.solution.assignments if a.date == day(LAST)} == {1, 2}

    optimum = _unstaged(case, monkeypatch)
    assert optimum is not None
    assert optimum > alone.objective

    # As it is, the range cannot be continued; with its last week searched again it can, but
    # above stage 1's bound: the long model is searched whole from that continuation (above
    # that bound too) and proves it.
    result = schedule_shifts(case, config(num_workers=1), staged=True)
    assert result.statistics["continue_0_status"] == str(SolveStatus.INFEASIBLE)
    assert result.statistics["continue_7_objective"] == optimum
    assert "continued" not in result.statistics
    assert result.status is SolveStatus.OPTIMAL
    assert result.objective == optimum
    assert result.solution is not None
    assert not result.violations
    assert not [a for a in result.solution.assignments if a.date == day(LAST)]

    # Without the tail searched again, from stage 1's range (which cannot be continued).
    monkeypatch.setattr(solve_module, "TAILS", (0,))
    monkeypatch.setattr(solve_module, "CONTINUE_SHARES", (0.1,))
    whole = schedule_shifts(case, config(num_workers=1), staged=True)
    assert "continued" not in whole.statistics
    assert whole.status is SolveStatus.OPTIMAL
    assert whole.objective == optimum
    assert not whole.violations
