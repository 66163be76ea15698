"""Time arithmetic of ACGME.md "Definitions": intervals, duty periods, local days, leave days.

Instants are integer seconds since the Unix epoch (UTC). Local wall-clock times are converted with
the program's IANA timezone, and every duration is a difference of instants, so a night across a
DST change is 23 or 25 hours of elapsed real time (DOMAIN.md, "Time").

Integers, not datetimes, because the validator touches every interval of a year for every person
and the boundaries of ACGME.md must be exact (80.0 legal, 80.01 not): integer seconds compare
exactly and cheaply.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from resched.core.errors import Invalid
from resched.core.model import (
    Absence,
    AbsenceStatus,
    Assignment,
    LoggedWork,
    LoggedWorkKind,
    ShiftType,
)

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_NAIVE_EPOCH = dt.datetime(1970, 1, 1)  # noqa: DTZ001 - local wall-clock arithmetic
_SECOND = dt.timedelta(seconds=1)
_DAY = dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class DateRange:
    """Inclusive local dates, ``start`` to ``end``: the evaluated range of ACGME.md."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise Invalid(
                "range.end: before range.start",
                details={"errors": [{"path": "range.end", "message": "before range.start"}]},
            )

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def overlaps(self, first: dt.date, last: dt.date) -> bool:
        """True when the inclusive span ``first``..``last`` shares a day with this range."""
        return first <= self.end and last >= self.start

    def index(self, day: dt.date) -> int:
        """Position of ``day`` counted from ``start`` (negative before the range)."""
        return (day - self.start).days

    def dates(self) -> Iterator[dt.date]:
        for offset in range(self.days):
            yield self.start + dt.timedelta(days=offset)


@dataclass(frozen=True, slots=True)
class Interval:
    """A stretch of real time: [start, end) in UTC seconds, with the end that was scheduled
    (``end`` minus transition minutes) and the local dates of its first and last instant."""

    start: int
    end: int
    scheduled_end: int
    first_day: dt.date
    last_day: dt.date

    @property
    def seconds(self) -> int:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class Period:
    """A duty period: a maximal union of duty intervals whose gaps are shorter than the merge gap.

    ``scheduled_end`` is the latest scheduled end of its intervals: the period as scheduled,
    without the transition minutes that close it (ACGME.md, ``continuous-duty``)."""

    start: int
    end: int
    scheduled_end: int
    first_day: dt.date
    last_day: dt.date

    @property
    def seconds(self) -> int:
        return self.end - self.start

    @property
    def scheduled_seconds(self) -> int:
        return self.scheduled_end - self.start


def load_zone(name: str) -> ZoneInfo:
    """The IANA timezone ``name``; ``Invalid`` (naming ``program.timezone``) when unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        message = f'unknown timezone "{name}"'
        raise Invalid(
            f"program.timezone: {message}",
            details={"errors": [{"path": "program.timezone", "message": message}]},
        ) from exc


def to_instant(local: dt.datetime, zone: ZoneInfo) -> int:
    """UTC seconds of a naive local wall-clock time. Times skipped or repeated by a DST change
    resolve with ``fold=0`` (the offset in force before the change), deterministically."""
    # The offset straight from the zone: the same answer as attaching tzinfo, at a quarter of
    # the cost, which matters for the thousands of distinct shifts of a year.
    offset = zone.utcoffset(local)
    assert offset is not None  # a ZoneInfo always knows its offset
    return (local - _NAIVE_EPOCH - offset) // _SECOND


def local_datetime(instant: int, zone: ZoneInfo) -> dt.datetime:
    """The aware local date-time of an instant."""
    return (_EPOCH + dt.timedelta(seconds=instant)).astimezone(zone)


def _last_day(local_end: dt.datetime) -> dt.date:
    # An interval ending exactly at midnight does not touch the next day.
    return (local_end - _SECOND).date()


def local_interval(
    start: dt.datetime, end: dt.datetime, scheduled_end: dt.datetime, zone: ZoneInfo
) -> Interval:
    """The interval between naive local times ``start`` and ``end`` (``end`` after ``start``)."""
    return Interval(
        start=to_instant(start, zone),
        end=to_instant(end, zone),
        scheduled_end=to_instant(scheduled_end, zone),
        first_day=start.date(),
        last_day=_last_day(end),
    )


def assignment_interval(day: dt.date, shift: ShiftType, zone: ZoneInfo) -> Interval:
    """ACGME.md: starts at the shift's local start on ``day``; ends at local start + minutes +
    transition minutes on the wall clock; the scheduled end leaves the transition out."""
    start = dt.datetime.combine(day, shift.start)
    scheduled_end = start + dt.timedelta(minutes=shift.minutes)
    end = scheduled_end + dt.timedelta(minutes=shift.transition_minutes)
    return local_interval(start, end, scheduled_end, zone)


def logged_interval(work: LoggedWork, zone: ZoneInfo) -> Interval:
    """Logged work has no transition: its scheduled end is its end."""
    return local_interval(work.start, work.end, work.end, zone)


DayParts = tuple[tuple[int, int], ...]


def day_parts(iv: Interval, bounds: list[int]) -> DayParts:
    """(day index, seconds) for each day of ``bounds`` (see ``day_boundaries``) that ``iv``
    overlaps. The day of an instant is found by bisection, which stays right where DST makes
    local dates and instants disagree."""
    n = len(bounds) - 1
    start, end = iv.start, iv.end
    if end <= bounds[0] or start >= bounds[n]:
        return ()
    parts = []
    k = max(bisect_right(bounds, start) - 1, 0)
    while k < n and bounds[k] < end:
        overlap = min(end, bounds[k + 1]) - max(start, bounds[k])
        if overlap > 0:
            parts.append((k, overlap))
        k += 1
    return tuple(parts)


# Logged work that is duty time (ACGME.md, "Duty intervals"); logged home_call counts for hours
# and free days only.
DUTY_LOGGED_KINDS = frozenset({LoggedWorkKind.MOONLIGHTING, LoggedWorkKind.EXTRA})


def duty_intervals(
    assignments: Iterable[Assignment],
    shift_types: Mapping[str, ShiftType],
    logged_work: Iterable[LoggedWork],
    zone: ZoneInfo,
) -> list[Interval]:
    """ACGME.md "Duty intervals" of one person, sorted by start: assignments of a duty kind
    (work, in-house call, night float) plus logged moonlighting and extra work. The validator
    computes the same from its cache (rules/timeline.py); this is for callers without one."""
    found = [
        assignment_interval(a.date, shift, zone)
        for a in assignments
        if (shift := shift_types[a.shift_code]).kind.is_duty
    ]
    found += [logged_interval(w, zone) for w in logged_work if w.kind in DUTY_LOGGED_KINDS]
    found.sort(key=lambda iv: (iv.start, iv.end))
    return found


def day_boundaries(rng: DateRange, zone: ZoneInfo) -> list[int]:
    """UTC seconds of the local midnights that open each day of ``rng``, plus the one closing it:
    ``rng.days + 1`` entries, so day ``i`` is [bounds[i], bounds[i + 1])."""
    midnight = dt.datetime.combine(rng.start, dt.time())
    return [to_instant(midnight + i * _DAY, zone) for i in range(rng.days + 1)]


def merge_periods(intervals: Sequence[Interval], merge_gap_seconds: int) -> list[Period]:
    """Duty periods of ``intervals`` sorted by start: a gap shorter than the merge gap joins two
    intervals (an AM and a PM clinic session around lunch are one period); a gap of exactly the
    merge gap separates them."""
    periods: list[Period] = []
    if not intervals:
        return periods
    head = intervals[0]
    start, end, scheduled, first, last = (
        head.start,
        head.end,
        head.scheduled_end,
        head.first_day,
        head.last_day,
    )
    for iv in intervals[1:]:
        if iv.start - end < merge_gap_seconds:
            # Plain comparisons rather than max(): this loop runs for every duty interval.
            if iv.end > end:
                end = iv.end
            if iv.scheduled_end > scheduled:
                scheduled = iv.scheduled_end
            if iv.last_day > last:
                last = iv.last_day
            continue
        periods.append(Period(start, end, scheduled, first, last))
        start, end, scheduled, first, last = (
            iv.start,
            iv.end,
            iv.scheduled_end,
            iv.first_day,
            iv.last_day,
        )
    periods.append(Period(start, end, scheduled, first, last))
    return periods


def approved(absences: Iterable[Absence]) -> list[Absence]:
    """Only approved absences are leave; requested, denied and cancelled ones are not."""
    return [a for a in absences if a.status is AbsenceStatus.APPROVED]


def leave_days(absences: Iterable[Absence], within: DateRange | None = None) -> frozenset[dt.date]:
    """Calendar days covered by the approved ``absences`` (any type); only those ``within``,
    when given. Each day is visited once however many absences cover it, so a pile of long
    absences costs their number plus the days, not their product."""
    days: set[dt.date] = set()
    covered = 0  # ordinal of the last day the absences seen so far (sorted by start) cover
    lo, hi = (within.start.toordinal(), within.end.toordinal()) if within else (1, 10**7)
    for absence in sorted(approved(absences), key=lambda a: a.start):
        first = max(absence.start.toordinal(), covered + 1, lo)
        last = min(absence.end.toordinal(), hi)
        days.update(dt.date.fromordinal(o) for o in range(first, last + 1))
        covered = max(covered, absence.end.toordinal())
    return frozenset(days)


def day_bounds(day: dt.date, zone: ZoneInfo) -> tuple[int, int]:
    """UTC seconds of local midnight opening and closing ``day`` (23, 24 or 25 h apart)."""
    midnight = dt.datetime.combine(day, dt.time())
    return to_instant(midnight, zone), to_instant(midnight + _DAY, zone)
