"""Duty-hour accounting as data: per resident, the hours, free days, calls and nights of each
week and of each averaging window, measured against the program's limits.

The numbers come from the same per-person timelines the rules read (``PersonTimeline.days``:
prefix sums of counted seconds, leave days, free days and in-house calls), so the accounting
and the findings cannot disagree: a window ``hours-80`` flags has an ``average`` above the limit
here, and its ``level`` is ``over`` by the same exact comparison.

Weeks are 7-day periods counted from the first day of the evaluated range (the last one may be
shorter), not ISO weeks: a range usually starts on a block's first day, and weeks aligned with
it make the first 28-day window exactly the first four weeks.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from resched.core.model import Person, Role
from resched.core.rules.context import Limits, ScheduleContext
from resched.core.rules.timeline import PersonTimeline

WEEK_DAYS = 7
_HOUR = 3600


class Level(StrEnum):
    """Hours per week against the limits: within, above ``approaching_hours``, above the limit."""

    OK = "ok"
    APPROACHING = "approaching"
    OVER = "over"


@dataclass(frozen=True, slots=True)
class Tally:
    """The totals of local dates ``start``..``end`` (inclusive) for one person.

    ``seconds`` counts work as ``hours-80`` does: duty and logged work clipped at local
    midnights, nothing on leave days. ``level`` compares hours per week with the limits: for a
    week its hours, for a window (and the whole range) its average over the effective days."""

    start: dt.date
    end: dt.date
    days: int
    leave_days: int
    seconds: int
    free_days: int
    calls: int
    nights: int
    level: Level

    @property
    def effective_days(self) -> int:
        """Days not on leave: the denominator of the averages (ACGME.md, "Window")."""
        return self.days - self.leave_days

    @property
    def hours(self) -> float:
        return self.seconds / _HOUR

    @property
    def average(self) -> float | None:
        """Hours per week over the effective days; None when every day is leave."""
        if self.effective_days <= 0:
            return None
        return self.seconds * WEEK_DAYS / (_HOUR * self.effective_days)


@dataclass(frozen=True, slots=True)
class PersonAccount:
    person: Person
    weeks: tuple[Tally, ...]
    windows: tuple[Tally, ...]
    total: Tally

    @property
    def worst_window(self) -> Tally | None:
        """The window with the highest average (the earliest on ties)."""
        best: Tally | None = None
        for window in self.windows:
            average = window.average
            if average is not None and (best is None or average > (best.average or 0.0)):
                best = window
        return best


def level_of(limits: Limits, seconds: int, per_days: int) -> Level:
    """``seconds`` worked over ``per_days`` days as hours per week against the limits, with the
    exact integer comparison of ``hours-80`` (80.0 is within, 80.01 is over)."""
    if per_days <= 0:
        return Level.OK
    scaled = seconds * WEEK_DAYS

    def above(limit_hours: Fraction) -> bool:
        return scaled * limit_hours.denominator > limit_hours.numerator * _HOUR * per_days

    if above(limits.hours):
        return Level.OVER
    if limits.approaching < limits.hours and above(limits.approaching):
        return Level.APPROACHING
    return Level.OK


class _Tallier:
    """Tallies of one person's day spans [lo, hi), read off the timeline's prefix sums."""

    def __init__(self, ctx: ScheduleContext, timeline: PersonTimeline) -> None:
        self.start = ctx.range.start
        self.limits = ctx.limits
        self.days = timeline.days
        self.nights = timeline.night_float_dates

    def __call__(self, lo: int, hi: int, *, weekly: bool = False) -> Tally:
        d = self.days
        first = self.start + dt.timedelta(days=lo)
        last = self.start + dt.timedelta(days=hi - 1)
        seconds = d.seconds[hi] - d.seconds[lo]
        leave = d.leave[hi] - d.leave[lo]
        # A week's colour is its own hours; a window's is its average over the days not on leave.
        per_days = WEEK_DAYS if weekly else (hi - lo) - leave
        return Tally(
            start=first,
            end=last,
            days=hi - lo,
            leave_days=leave,
            seconds=seconds,
            free_days=d.free[hi] - d.free[lo],
            calls=d.calls[hi] - d.calls[lo],
            nights=bisect_right(self.nights, last) - bisect_left(self.nights, first),
            level=level_of(self.limits, seconds, per_days),
        )


def account_person(ctx: ScheduleContext, person_id: int) -> PersonAccount:
    """The weeks, the averaging windows (``ctx.windows``: rolling or block, as the rules use)
    and the whole range of one person."""
    timeline = ctx.timeline(person_id)
    tally = _Tallier(ctx, timeline)
    n = ctx.range.days
    return PersonAccount(
        person=timeline.person,
        weeks=tuple(
            tally(lo, min(lo + WEEK_DAYS, n), weekly=True) for lo in range(0, n, WEEK_DAYS)
        ),
        windows=tuple(tally(w.lo, w.hi) for w in ctx.windows),
        total=tally(0, n),
    )


def account_residents(ctx: ScheduleContext) -> list[PersonAccount]:
    """Every resident's account, in person-id order: the duty-hour rules protect residents only."""
    return [
        account_person(ctx, pid) for pid in ctx.person_ids if ctx.people[pid].role is Role.RESIDENT
    ]
