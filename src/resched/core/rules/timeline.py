"""One person's time, computed once: sorted intervals, duty periods, and per-day prefix sums.

The window rules (hours-80, day-off-1-in-7, call-q3) read a window as the difference of two prefix
sums, so a year of rolling windows costs one pass over the days instead of 28 per window.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate
from operator import itemgetter
from zoneinfo import ZoneInfo

from resched.core.intervals import (
    DUTY_LOGGED_KINDS,
    DateRange,
    DayParts,
    Interval,
    Period,
    approved,
    assignment_interval,
    day_parts,
    leave_days,
    logged_interval,
    merge_periods,
)
from resched.core.model import (
    Absence,
    Assignment,
    LoggedWork,
    Person,
    ShiftKind,
    ShiftType,
)

_DUTY_KINDS = frozenset(k for k in ShiftKind if k.is_duty)

# A placed shift: its sort key (start, end, code), its interval, its type, and the seconds it
# puts on each day of the range.
Placed = tuple[tuple[int, int, str], Interval, ShiftType, DayParts]
# A placed shift with its assignment appended. Plain tuples, not named ones: a year holds tens
# of thousands, and named-tuple construction alone would double the time to build them.
Booked = tuple[tuple[int, int, str], Interval, ShiftType, DayParts, Assignment]


class Placements:
    """Placed shifts memoised by (date, shift code): a year has a few thousand distinct pairs
    but tens of thousands of assignments, and timezone conversion is the costly part."""

    def __init__(
        self, shift_types: dict[str, ShiftType], zone: ZoneInfo, bounds: list[int]
    ) -> None:
        self._shift_types = shift_types
        self._zone = zone
        self._bounds = bounds
        self._cache: dict[tuple[dt.date, str], Placed] = {}

    def book(self, assignments: tuple[Assignment, ...]) -> list[Booked]:
        """The assignments placed, sorted by start, then end, then shift code."""
        cache, place = self._cache, self._place
        items = [(cache.get((a.date, a.shift_code)) or place(a)) + (a,) for a in assignments]
        items.sort(key=itemgetter(0))
        return items

    def _place(self, a: Assignment) -> Placed:
        shift = self._shift_types[a.shift_code]
        iv = assignment_interval(a.date, shift, self._zone)
        # Same start instant means same local date, so the date needs no place in the key.
        placed = ((iv.start, iv.end, shift.code), iv, shift, day_parts(iv, self._bounds))
        self._cache[(a.date, a.shift_code)] = placed
        return placed


@dataclass(frozen=True, slots=True)
class Frame:
    """What every timeline of one context shares: the zone, the range and its local midnights,
    the placement cache, the merge gap and the days where leave matters."""

    zone: ZoneInfo
    rng: DateRange
    bounds: list[int]
    placements: Placements
    merge_gap_seconds: int
    # The days whose leave can matter to a finding that touches the range: the range widened
    # by the longest shift (transition included) on each side.
    leave_window: DateRange


@dataclass(frozen=True, slots=True)
class DayTotals:
    """Prefix sums over the days of the range (length days + 1): counted work seconds on days
    that are not leave, leave days, free days, and in-house calls starting that day."""

    seconds: list[int]
    leave: list[int]
    free: list[int]
    calls: list[int]


class PersonTimeline:
    """Everything the person rules need about one person; each part is computed on first use."""

    def __init__(
        self,
        frame: Frame,
        person: Person,
        assignments: tuple[Assignment, ...],
        absences: tuple[Absence, ...],
        logged_work: tuple[LoggedWork, ...],
    ) -> None:
        self.frame = frame
        self.person = person
        self.assignments = assignments
        self.all_absences = absences
        self.logged_work = logged_work

    @cached_property
    def booked(self) -> list[Booked]:
        """Assignments with their intervals, sorted by start (then end, shift code)."""
        return self.frame.placements.book(self.assignments)

    @cached_property
    def logged(self) -> list[tuple[Interval, LoggedWork]]:
        items = [(logged_interval(w, self.frame.zone), w) for w in self.logged_work]
        items.sort(key=lambda item: (item[0].start, item[0].end, item[1].kind.value))
        return items

    @cached_property
    def absences(self) -> list[Absence]:
        """Approved absences only: the others are not leave."""
        return sorted(approved(self.all_absences), key=lambda a: (a.start, a.end))

    @cached_property
    def leave(self) -> frozenset[dt.date]:
        return leave_days(self.absences, within=self.frame.leave_window)

    @cached_property
    def absence_reach(self) -> list[dt.date]:
        """The latest end among ``absences[:i + 1]``: bisecting it finds the first absence
        covering a leave day without scanning them all."""
        return list(accumulate((a.end for a in self.absences), max))

    @cached_property
    def duty(self) -> list[Interval]:
        """Duty intervals sorted by start: duty-kind assignments plus moonlighting and extra."""
        found = [b[1] for b in self.booked if b[2].kind in _DUTY_KINDS]
        extra = [iv for iv, w in self.logged if w.kind in DUTY_LOGGED_KINDS]
        if extra:  # bookings are sorted already; only logged work can disturb the order
            found += extra
            found.sort(key=lambda iv: (iv.start, iv.end))
        return found

    @cached_property
    def periods(self) -> list[Period]:
        return merge_periods(self.duty, self.frame.merge_gap_seconds)

    @cached_property
    def night_float_dates(self) -> list[dt.date]:
        kind = ShiftKind.NIGHT_FLOAT
        return sorted({b[4].date for b in self.booked if b[2].kind is kind})

    @cached_property
    def days(self) -> DayTotals:
        rng = self.frame.rng
        n = rng.days
        seconds, busy, calls = [0] * n, [False] * n, [0] * n
        for _, _, shift, parts, assignment in self.booked:
            kind = shift.kind
            if kind in _DUTY_KINDS:
                for k, part in parts:
                    seconds[k] += part
                    busy[k] = True
            elif kind is ShiftKind.AT_HOME_CALL:
                # Not hours by itself, but the day is not free (ACGME.md, "Free day").
                for k, _ in parts:
                    busy[k] = True
            if kind is ShiftKind.IN_HOUSE_CALL:
                k = rng.index(assignment.date)
                if 0 <= k < n:
                    calls[k] += 1
        for iv, _ in self.logged:
            for k, part in day_parts(iv, self.frame.bounds):
                seconds[k] += part
                busy[k] = True
        leave = [0] * n
        for day in self.leave:
            k = rng.index(day)
            if 0 <= k < n:
                leave[k], seconds[k] = 1, 0
        free = [int(not (b or off)) for b, off in zip(busy, leave, strict=True)]
        return DayTotals(
            seconds=list(accumulate(seconds, initial=0)),
            leave=list(accumulate(leave, initial=0)),
            free=list(accumulate(free, initial=0)),
            calls=list(accumulate(calls, initial=0)),
        )
