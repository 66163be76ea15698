"""Coverage and the academic year's holidays: a demand "not on holidays" is neither scheduled
nor checked on a holiday (clinics closed on Thanksgiving), a demand "holidays only" is
scheduled and checked on holidays alone, in the generator and in the validator alike."""

from __future__ import annotations

import dataclasses
import datetime as dt

from resched.core.model import Assignment, HolidayRule
from resched.core.solver.shifts import ShiftProblem, schedule_shifts
from resched.core.solver.shifts.horizon import build_horizon
from resched.core.solver.shifts.validate import check_coverage
from tests.core.solver.shifts.tiny import PM, config, day, need, on, problem, residents

WEEKDAYS = range(1, 6)
HOLIDAY = day(3)  # Thursday 9 Jul 2026 stands in for Thanksgiving
WEEK = [day(i) for i in range(7)]


def _clinic(rule: HolidayRule, *, pattern: bool = False) -> ShiftProblem:
    clinic = dataclasses.replace(need("PM", 1, 3, weekdays=WEEKDAYS), holidays=rule)
    return problem(
        residents(1, 2, 3),
        [PM],
        [clinic],
        days=7,
        holidays=(HOLIDAY,),
        pattern=dict.fromkeys(WEEKDAYS, ("PM",)) if pattern else None,
    )


def _solve(rule: HolidayRule, *, pattern: bool = False) -> list[dt.date]:
    case = _clinic(rule, pattern=pattern)
    result = schedule_shifts(case, config())
    assert result.is_valid, (result.status, result.violations, result.conflicts)
    assert result.solution is not None
    return on(result.solution.assignments, "PM")


def test_not_on_holidays_schedules_no_clinic_on_the_holiday() -> None:
    days = _solve(HolidayRule.NOT_ON_HOLIDAYS)
    assert HOLIDAY not in days
    assert set(days) == {d for d in WEEK if d.isoweekday() in WEEKDAYS and d != HOLIDAY}


def test_not_on_holidays_closes_the_shift_for_weekly_patterns_too() -> None:
    """Every resident's pattern asks for PM on weekdays; on the holiday the clinic is closed."""
    days = _solve(HolidayRule.NOT_ON_HOLIDAYS, pattern=True)
    assert HOLIDAY not in days
    assert len([d for d in days if d == day(2)]) == 3  # the pattern holds on other days


def test_holidays_only_schedules_the_clinic_on_the_holiday_alone() -> None:
    assert _solve(HolidayRule.HOLIDAYS_ONLY) == [HOLIDAY]


def test_any_keeps_the_holiday_a_working_day() -> None:
    assert HOLIDAY in _solve(HolidayRule.ANY)


def _shortfalls(rule: HolidayRule, worked: list[dt.date]) -> list[str]:
    case = _clinic(rule)
    assignments = tuple(Assignment(1, d, "PM") for d in worked)
    return check_coverage(case, build_horizon(case), assignments)


def test_the_validator_sees_no_shortfall_on_a_closed_holiday() -> None:
    open_days = [d for d in WEEK if d.isoweekday() in WEEKDAYS and d != HOLIDAY]
    assert _shortfalls(HolidayRule.NOT_ON_HOLIDAYS, open_days) == []
    # The same schedule under a rule that ignores holidays is short that day, and only then.
    short = _shortfalls(HolidayRule.ANY, open_days)
    assert len(short) == 1, short
    assert "Jul 9" in short[0], short


def test_the_validator_checks_a_holidays_only_rule_on_the_holiday_alone() -> None:
    assert _shortfalls(HolidayRule.HOLIDAYS_ONLY, [HOLIDAY]) == []
    short = _shortfalls(HolidayRule.HOLIDAYS_ONLY, [])
    assert len(short) == 1, short
    assert "Jul 9" in short[0], short
