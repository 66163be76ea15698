"""Coverage limited to dates (``dates``) or excepting dates (``except_dates``): the scheduler
fills a demand exactly on the days it applies, and a clock change is handled by data."""

from __future__ import annotations

import dataclasses
import datetime as dt

from resched.core.solver import SolveStatus
from resched.core.solver.shifts import schedule_shifts
from tests.core.solver.shifts.tiny import CALL, config, day, need, on, problem, residents, shift

# 23 h on the wall clock: 24 h of real time on the night the clocks go back.
SHORT_CALL = shift("SHORT", "07:00", 23 * 60, CALL.kind, 4 * 60)


def test_a_demand_applies_only_on_its_dates_and_not_on_excepted_ones() -> None:
    wanted = frozenset({day(2), day(5)})
    only = dataclasses.replace(need("SHORT", 1), dates=wanted)
    skipped = dataclasses.replace(need("CALL", 1), except_dates=frozenset({day(3), day(4)}))
    case = problem(residents(2, 2, 2, 2), [CALL, SHORT_CALL], [only, skipped], days=7)
    result = schedule_shifts(case, config())
    assert result.is_valid, (result.status, result.violations, result.conflicts)
    assert result.solution is not None
    assignments = result.solution.assignments
    assert on(assignments, "SHORT") == sorted(wanted)
    assert on(assignments, "CALL") == [day(i) for i in (0, 1, 2, 5, 6)]


def test_the_autumn_clock_change_makes_call_illegal_unless_the_data_says_otherwise() -> None:
    """Sat 31 Oct 2026 07:00 + 24 h on the wall clock is 25 h in Chicago (continuous-duty):
    that day's demand cannot be met with CALL, and can with the shorter call in its place."""
    start = dt.date(2026, 10, 26)
    dst = dt.date(2026, 10, 31)
    people = residents(2, 2, 2, 2)
    plain = problem(people, [CALL], [need("CALL", 1)], days=7, start=start)
    refused = schedule_shifts(plain, config())
    assert refused.status is SolveStatus.INFEASIBLE
    assert any("Oct 31" in c for c in refused.conflicts), refused.conflicts

    rules = [
        dataclasses.replace(need("CALL", 1), except_dates=frozenset({dst})),
        dataclasses.replace(need("SHORT", 1), dates=frozenset({dst})),
    ]
    fixed = problem(people, [CALL, SHORT_CALL], rules, days=7, start=start)
    result = schedule_shifts(fixed, config())
    assert result.is_valid, (result.status, result.violations, result.conflicts)
    assert result.solution is not None
    assert on(result.solution.assignments, "SHORT") == [dst]
    assert len(on(result.solution.assignments, "CALL")) == 6
