"""Intervals, local days and duty periods: DST-aware elapsed time, exact merge-gap boundary."""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest

from resched.core.errors import Invalid
from resched.core.intervals import (
    DateRange,
    Interval,
    assignment_interval,
    day_boundaries,
    duty_intervals,
    leave_days,
    load_zone,
    merge_periods,
)
from resched.core.model import (
    Absence,
    AbsenceStatus,
    AbsenceType,
    Assignment,
    LoggedWork,
    LoggedWorkKind,
    ShiftKind,
    ShiftType,
)

CHICAGO = ZoneInfo("America/Chicago")
HOUR = 3600


def shift(start: str, minutes: int, transition: int = 0) -> ShiftType:
    return ShiftType("S", "S", dt.time.fromisoformat(start), minutes, ShiftKind.WORK, transition)


def test_24h_call_across_autumn_dst_change_lasts_25_hours() -> None:
    iv = assignment_interval(dt.date(2026, 10, 31), shift("07:00", 1440), CHICAGO)
    assert iv.seconds == 25 * HOUR
    assert (iv.first_day, iv.last_day) == (dt.date(2026, 10, 31), dt.date(2026, 11, 1))


def test_24h_call_across_spring_dst_change_lasts_23_hours() -> None:
    iv = assignment_interval(dt.date(2027, 3, 13), shift("07:00", 1440, 240), CHICAGO)
    assert iv.seconds == 27 * HOUR
    assert iv.scheduled_end - iv.start == 23 * HOUR


def test_transition_extends_end_but_not_scheduled_end() -> None:
    iv = assignment_interval(dt.date(2026, 7, 1), shift("07:00", 1440, 240), CHICAGO)
    assert iv.end - iv.scheduled_end == 4 * HOUR
    assert iv.last_day == dt.date(2026, 7, 2)


def test_shift_ending_at_midnight_does_not_touch_next_day() -> None:
    iv = assignment_interval(dt.date(2026, 7, 1), shift("16:00", 480), CHICAGO)
    assert iv.last_day == dt.date(2026, 7, 1)


def test_day_boundaries_follow_local_midnights() -> None:
    bounds = day_boundaries(DateRange(dt.date(2026, 10, 31), dt.date(2026, 11, 2)), CHICAGO)
    lengths = [b - a for a, b in itertools.pairwise(bounds)]
    assert lengths == [24 * HOUR, 25 * HOUR, 24 * HOUR]


def iv(start_h: float, end_h: float) -> Interval:
    day = dt.date(2026, 7, 1)
    return Interval(int(start_h * HOUR), int(end_h * HOUR), int(end_h * HOUR), day, day)


def test_gap_shorter_than_merge_gap_joins_periods() -> None:
    periods = merge_periods([iv(8, 12), iv(13, 17)], 120 * 60)
    assert [(p.start, p.end) for p in periods] == [(8 * HOUR, 17 * HOUR)]


def test_gap_of_exactly_merge_gap_separates_periods() -> None:
    periods = merge_periods([iv(8, 12), iv(14, 17)], 120 * 60)
    assert len(periods) == 2


def test_nested_interval_keeps_the_longer_end() -> None:
    periods = merge_periods([iv(0, 28), iv(2, 4)], 120 * 60)
    assert [(p.start, p.end) for p in periods] == [(0, 28 * HOUR)]


def test_only_approved_absences_are_leave() -> None:
    def absence(status: AbsenceStatus, day: int) -> Absence:
        date = dt.date(2026, 7, day)
        return Absence(1, date, date, AbsenceType.VACATION, status=status)

    days = leave_days([absence(s, i + 1) for i, s in enumerate(AbsenceStatus)])
    assert days == {dt.date(2026, 7, 1 + list(AbsenceStatus).index(AbsenceStatus.APPROVED))}


def test_range_end_before_start_is_invalid() -> None:
    with pytest.raises(Invalid, match=r"range\.end: before range\.start"):
        DateRange(dt.date(2026, 7, 2), dt.date(2026, 7, 1))


def test_unknown_timezone_is_invalid() -> None:
    with pytest.raises(Invalid, match=r"program\.timezone"):
        load_zone("Mars/Olympus_Mons")


def test_duty_intervals_leave_out_home_call_and_off() -> None:
    kinds = {k.value: ShiftType(k.value, k.value, dt.time(7), 60, k) for k in ShiftKind}
    day = dt.date(2026, 7, 1)
    assignments = [Assignment(1, day, code) for code in kinds]
    logged = [
        LoggedWork(1, dt.datetime(2026, 7, 1, 20), dt.datetime(2026, 7, 1, 21), kind)
        for kind in LoggedWorkKind
    ]
    found = duty_intervals(assignments, kinds, logged, CHICAGO)
    assert len(found) == 3 + 2  # work, in-house call, night float; moonlighting, extra
    assert [iv.start for iv in found] == sorted(iv.start for iv in found)
