"""Fairness that does not cluster (issue 14): within a range calls spread at most 1 among the
people who share them, a resident behind the year to date catches up by at most ``catch_up``
a range, and calls stay at least 3 nights apart where the pool allows.

The program is shaped like the pediatrics sample (tests/programs/pediatrics.py): calendar-month
blocks, the program's own q4 call rule, a 24 h in-house call with 4 h of hand-off after ward
days, a US holiday (Labor Day) in the second month. Six PGY-2 ward residents share one call a
night; before the two months one of them had no call at all and the others 6 each (the
"clustered call" case: the old goal gave such a resident 8 calls two nights apart). Solves are
bounded by work (tests/solve_limits.py), never by the clock.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from resched.core.model import Assignment, Block, BlockAssignment, RuleConfig
from resched.core.solver.shifts import ShiftProblem, schedule_shifts
from resched.core.solver.shifts.counters import tally
from resched.core.solver.shifts.problem import CALLS
from resched.core.solver.shifts.spreads import RangeFairness, measure_range_fairness
from tests.core.solver.shifts.tiny import CALL, ROTATION, config, need, problem, residents, shift

AUGUST, SEPTEMBER = dt.date(2026, 8, 1), dt.date(2026, 9, 1)
LABOR_DAY = dt.date(2026, 9, 7)
WARD = shift("WARD", "07:00", 10 * 60)
BEHIND = 1  # the resident with no call before August
WORK = 5.0  # deterministic time; each month is proven optimal long before it


def _month(
    start: dt.date, days: int, before: tuple[Assignment, ...], catch_up: int
) -> ShiftProblem:
    people = residents(2, 2, 2, 2, 2, 2)
    ytd = {p.id: {CALLS: 0 if p.id == BEHIND else 6} for p in people}
    if before:
        for pid, counted in tally(before, (CALL, WARD), (LABOR_DAY,)).items():
            ytd[pid] = {CALLS: ytd[pid][CALLS] + counted[CALLS]}
    case = problem(
        people,
        [CALL, WARD],
        [need("CALL", 1)],
        days=days,
        start=start,
        pattern=dict.fromkeys(range(1, 6), ("WARD",)),
        rules=RuleConfig(call_every_nth_night=4),
        holidays=(LABOR_DAY,),
        before=before,
        year_to_date=ytd,
        catch_up=catch_up,
    )
    blocks = (
        Block(1, AUGUST, SEPTEMBER - dt.timedelta(days=1)),
        Block(2, SEPTEMBER, dt.date(2026, 9, 30)),
    )
    plan = tuple(BlockAssignment(p.id, b.number, ROTATION) for p in people for b in blocks)
    return dataclasses.replace(case, blocks=blocks, plan=plan)


def _generate(case: ShiftProblem) -> tuple[tuple[Assignment, ...], RangeFairness]:
    result = schedule_shifts(case, config(work=WORK, num_workers=1, seed=1))
    assert result.is_valid, (result.status, result.violations, result.conflicts)
    assert result.solution is not None
    return result.solution.assignments, measure_range_fairness(case, result.solution.assignments)


def test_two_months_catch_up_gradually_without_clustering() -> None:
    august = _month(AUGUST, 31, (), catch_up=1)
    done, report = _generate(august)
    _assert_even_with_catch_up(done, report, catch_up=1)
    september = _month(SEPTEMBER, 30, done, catch_up=1)
    later, again = _generate(september)
    _assert_even_with_catch_up(later, again, catch_up=1)
    # The deficit of 6 closes a call a month: the year-to-date spread narrows, never at once.
    (first,) = [p for p in report.pools if p.counter == CALLS]
    (second,) = [p for p in again.pools if p.counter == CALLS]
    assert 6 > first.year.spread > second.year.spread >= 6 - 2 * 2


def _assert_even_with_catch_up(
    done: tuple[Assignment, ...], report: RangeFairness, catch_up: int
) -> None:
    calls = _per_person(done)
    behind = calls.pop(BEHIND)
    assert max(calls.values()) - min(calls.values()) <= 1, calls  # the others: even
    assert max(calls.values()) <= behind <= max(calls.values()) + catch_up, (behind, calls)
    assert behind > min(calls.values()), "the spare calls go to the one behind"
    assert report.widest(CALLS) <= 1 + catch_up
    gap = report.shortest_gap
    assert gap is not None
    assert gap.nights >= 3, gap


def _per_person(done: tuple[Assignment, ...]) -> dict[int, int]:
    found = dict.fromkeys(range(1, 7), 0)
    for a in done:
        if a.shift_code == "CALL":
            found[a.person_id] += 1
    return found


def test_no_catch_up_keeps_the_month_even_whatever_the_year_to_date() -> None:
    done, report = _generate(_month(AUGUST, 31, (), catch_up=0))
    calls = _per_person(done)
    assert max(calls.values()) - min(calls.values()) <= 1, calls
    assert report.widest(CALLS) <= 1
    (pool,) = [p for p in report.pools if p.counter == CALLS]
    assert pool.catching_up == ()
    gap = report.shortest_gap
    assert gap is not None
    assert gap.nights >= 3, gap
