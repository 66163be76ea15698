"""Look-back across the range's start, repair, warm start, explanations, determinism, cancel."""

from __future__ import annotations

from dataclasses import replace

from resched.core.model import Absence, AbsenceType, Assignment, ShiftKind
from resched.core.solver import CancelToken, SolveStatus
from resched.core.solver.shifts import Mode, schedule_shifts
from tests.core.solver.shifts.tiny import (
    CALL,
    config,
    day,
    need,
    problem,
    residents,
    shift,
)

WARD = shift("WARD", "07:00", 600, ShiftKind.WORK)
EVERY_DAY_WARD = dict.fromkeys(range(1, 8), ("WARD",))
BIG_WORK = 30.0


def test_look_back_counts_for_rest_and_call_q3() -> None:
    """Dr R1 took 9 calls in the 27 days before the range: a 10th on the first day would break
    q3 in the window reaching back. Dr R2 was on call the day before: post-call."""
    before = tuple(Assignment(1, day(-27 + 3 * i), "CALL") for i in range(9))
    before += (Assignment(2, day(-1), "CALL"),)
    case = problem(residents(2, 2, 2), [CALL], [need("CALL", 1)], days=7, before=before)
    result = schedule_shifts(case, config())
    assert result.is_valid, (result.status, result.violations, result.conflicts)
    assert result.solution is not None
    first = [a.person_id for a in result.solution.assignments if a.date == day(0)]
    assert first == [3]


def test_infeasible_day_is_explained_with_names_and_reasons() -> None:
    before = (Assignment(2, day(-1), "CALL"),)
    leave = (Absence(1, day(0), day(0), AbsenceType.VACATION),)
    case = problem(
        residents(2, 2), [CALL], [need("CALL", 1, pgy_min=2)], days=7, before=before, absences=leave
    )
    result = schedule_shifts(case, config())
    assert result.status is SolveStatus.INFEASIBLE
    assert result.conflicts == (
        "CALL cover (CALL) on Mon Jul 6 needs 1 PGY-2+ residents; 0 of 2 eligible can take it: "
        "Dr R1 is on leave Jul 6; Dr R2 is already on CALL on Jul 5",
    )


def _ward_problem(**extra: object) -> object:
    return problem(
        residents(2, 2, 2, 2, 2),
        [WARD, CALL],
        [need("CALL", 1), need("WARD", 0, 5)],
        pattern=EVERY_DAY_WARD,
        **extra,
    )


def test_repair_changes_only_what_it_must() -> None:
    fresh = schedule_shifts(_ward_problem(), config())  # type: ignore[arg-type]
    assert fresh.is_valid
    assert fresh.solution is not None
    published = fresh.solution.assignments
    sick = day(10)
    leave = (Absence(1, sick, sick, AbsenceType.SICK),)
    repair = replace(_ward_problem(absences=leave), mode=Mode.REPAIR, published=published)  # type: ignore[type-var]
    fixed = schedule_shifts(repair, config())
    assert fixed.is_valid, (fixed.status, fixed.violations, fixed.conflicts)
    assert fixed.solution is not None
    removed, added = fixed.solution.removed, fixed.solution.added
    touching_leave = [
        a
        for a in published
        if a.person_id == 1
        and a.date in (day(9), sick)
        and (a.shift_code == "CALL" or a.date == sick)
    ]
    assert set(touching_leave) <= set(removed)
    # A lost call is taken by someone whose ward day that was: a handful of changes, no more.
    assert len(removed) + len(added) <= 2 * len(touching_leave) + 4
    assert all(a in published for a in fixed.solution.assignments if a not in added)


def test_warm_start_hints_every_slot() -> None:
    case = _ward_problem()
    first = schedule_shifts(case, config())  # type: ignore[arg-type]
    assert first.solution is not None
    hints = first.solution.assignments
    again = schedule_shifts(case, config(hints=hints))  # type: ignore[arg-type]
    assert again.statistics["hinted"] == len(hints)
    assert again.is_valid


def test_same_seed_same_schedule() -> None:
    case = problem(residents(2, 2, 2, 2), [CALL], [need("CALL", 1)], days=14)
    runs = [schedule_shifts(case, config(num_workers=1, seed=7)) for _ in range(2)]
    assert [r.status for r in runs] == [SolveStatus.OPTIMAL, SolveStatus.OPTIMAL]
    assert runs[0].solution is not None
    assert runs[1].solution is not None
    assert runs[0].solution.assignments == runs[1].solution.assignments


def test_cancel_stops_a_running_solve() -> None:
    big = problem(
        residents(*([1] * 6 + [2] * 6)),
        [WARD, CALL],
        [need("CALL", 2), need("WARD", 0, 12)],
        pattern=EVERY_DAY_WARD,
        days=56,
    )
    token = CancelToken()
    # Cancelled at the search's first news, so the cancel lands mid-search however slow the
    # machine; the budget is far more work than eight weeks need to find a first schedule.
    result = schedule_shifts(
        big, config(work=BIG_WORK), on_progress=lambda _: token.cancel(), cancel=token
    )
    assert result.status is SolveStatus.CANCELLED
    # Stopped by the cancel, not by running out of work (a broken cancel uses it all).
    assert result.statistics["deterministic_time"] < BIG_WORK
    assert result.solution is None or result.is_valid
