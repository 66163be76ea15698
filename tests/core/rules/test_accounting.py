"""Duty-hour accounting: the weekly and rolling numbers agree with the rule findings, because
both read the same timelines."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings

from resched.core.rules import (
    Finding,
    Level,
    ScheduleContext,
    ScheduleInput,
    Severity,
    account_person,
    account_residents,
    check_all,
)
from tests.core.builders import Doc, d
from tests.core.rules.strategies import schedules


def twelve_hour_days(days: range, *, end_days: int = 28) -> Doc:
    return (
        Doc(days=end_days)
        .resident("r1")
        .faculty("f1")
        .shift("DAY", "07:00", 720)
        .assign_days("r1", "DAY", days)
    )


def test_every_day_twelve_hours_is_84_a_week_in_weeks_windows_and_total() -> None:
    ctx = twelve_hour_days(range(28)).context()
    account = account_person(ctx, 1)

    assert [w.hours for w in account.weeks] == [84.0] * 4
    assert [w.level for w in account.weeks] == [Level.OVER] * 4
    (window,) = account.windows
    assert (window.start, window.end, window.average, window.level) == (
        d("2026-07-01"),
        d("2026-07-28"),
        84.0,
        Level.OVER,
    )
    assert (window.free_days, account.total.hours) == (0, 336.0)
    finding = next(f for f in check_all(ctx) if f.rule == "hours-80")
    assert finding.value == window.average


def test_weeks_count_from_the_range_start_and_the_last_may_be_shorter() -> None:
    ctx = twelve_hour_days(range(10), end_days=10).context()
    weeks = account_person(ctx, 1).weeks
    assert [(w.start, w.end, w.days, w.hours) for w in weeks] == [
        (d("2026-07-01"), d("2026-07-07"), 7, 84.0),
        (d("2026-07-08"), d("2026-07-10"), 3, 36.0),
    ]
    # A short week is coloured by its own hours: 36 h is within the limit.
    assert weeks[1].level is Level.OK


def test_the_boundaries_are_exact_like_the_rule() -> None:
    # One week of 10 h days (70 h), topped up with logged work to 76, 80 and 80 h + 1 s.
    doc = Doc(days=7).resident("r1").shift("DAY", "07:00", 600).assign_days("r1", "DAY", range(7))
    doc.log("r1", doc.day(0) + "T18:00", doc.day(0) + "T20:00", "extra")  # 70 + 2 = 72 h
    doc.log("r1", doc.day(1) + "T18:00", doc.day(1) + "T22:00", "extra")  # 76 h
    assert account_person(doc.context(), 1).windows[0].level is Level.OK
    doc.log("r1", doc.day(2) + "T18:00", doc.day(2) + "T22:00", "extra")  # 80 h exactly
    window = account_person(doc.context(), 1).windows[0]
    assert (window.average, window.level) == (80.0, Level.APPROACHING)
    assert [f.severity for f in doc.check() if f.rule == "hours-80"] == [Severity.WARNING]
    doc.log("r1", doc.day(3) + "T18:00:00", doc.day(3) + "T18:00:01", "extra")  # one second more
    window = account_person(doc.context(), 1).windows[0]
    assert window.level is Level.OVER
    assert [f.severity for f in doc.check() if f.rule == "hours-80"] == [Severity.VIOLATION]


def test_leave_days_leave_the_average_and_count_as_leave() -> None:
    doc = twelve_hour_days(range(21))  # three weeks of 84 h, then a week of leave
    doc.absence("r1", 21, 27)
    account = account_person(doc.context(), 1)
    (window,) = account.windows
    assert (window.leave_days, window.effective_days, window.average) == (7, 21, 84.0)
    assert account.weeks[3].leave_days == 7
    assert account.weeks[3].free_days == 0  # leave is not a free day (ACGME.md)


def test_calls_nights_and_free_days_are_counted() -> None:
    doc = (
        Doc(days=14)
        .resident("r1")
        .shift("CALL", "07:00", 1440, "in_house_call", 240)
        .shift("NIGHT", "19:00", 720, "night_float")
        .assign_days("r1", "CALL", [0, 3])
        .assign_days("r1", "NIGHT", range(7, 12))
    )
    weeks = account_person(doc.context(), 1).weeks
    # Calls on days 0 and 3 occupy days 0-1 and 3-4 (they end at 11:00 the next day).
    assert [(w.calls, w.nights, w.free_days) for w in weeks] == [(2, 0, 3), (0, 5, 1)]


def test_only_residents_are_accounted() -> None:
    doc = twelve_hour_days(range(28)).assign_days("f1", "DAY", range(28))
    accounts = account_residents(doc.context())
    assert [a.person.code for a in accounts] == ["r1"]


def _covered(finding: Finding, start: dt.date, end: dt.date) -> bool:
    return finding.start <= start and end <= finding.end


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schedules())
def test_accounting_agrees_with_the_averaged_findings(schedule: ScheduleInput) -> None:
    ctx = ScheduleContext(schedule)
    findings = check_all(ctx)
    for account in account_residents(ctx):
        pid = account.person.id
        mine = [f for f in findings if f.person_id == pid]
        over = [f for f in mine if f.rule == "hours-80" and f.severity is Severity.VIOLATION]
        flagged = [w for w in account.windows if w.level is Level.OVER]
        # Every window over the limit lies in an hours-80 violation and vice versa.
        assert all(any(_covered(f, w.start, w.end) for f in over) for w in flagged)
        for f in over:
            inside = [w for w in flagged if _covered(f, w.start, w.end)]
            assert inside
            worst = max(w.average or 0.0 for w in inside)
            assert worst > ctx.rules.hours_per_week_limit
            assert f.value == pytest.approx(worst, abs=0.01)
        short = [f for f in mine if f.rule == "day-off-1-in-7"]
        for w in account.windows:
            lacking = w.effective_days > 0 and w.free_days * 7 < w.effective_days
            assert lacking == any(_covered(f, w.start, w.end) for f in short)
