"""The coverage margin of each day and demand: the eligible people assigned against the
minimum, and how many more could legally and availably step in."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from resched.core.calendar import iter_days
from resched.core.contingency.standby import Demand, standby
from resched.core.model import Assignment
from resched.core.rules.context import ScheduleContext


@dataclass(frozen=True, slots=True)
class Margin:
    day: dt.date
    shift_code: str
    label: str
    assigned: int  # eligible people on the shift
    minimum: int
    standby: int  # people who could be added legally

    @property
    def slack(self) -> int:
        """Assigned above the minimum (negative: a gap)."""
        return self.assigned - self.minimum

    @property
    def margin(self) -> int:
        """How many could be lost before the minimum is missed and nobody can step in."""
        return self.slack + self.standby


def margins(ctx: ScheduleContext, demand: Demand, start: dt.date, end: dt.date) -> list[Margin]:
    """Each demand with a minimum on each day of ``start``..``end`` it applies on, by day
    then shift code."""
    holders = shift_holders(ctx, start, end)
    found = []
    for day in iter_days(start, end):
        for need in demand.needs:
            if need.min_count == 0 or not need.applies_on(day, demand.holidays):
                continue
            on = holders.get((day, need.shift_code), set())
            assigned = sum(1 for pid in on if demand.eligible(ctx, pid, day, need.eligibility))
            shift = Assignment(-1, day, need.shift_code)
            ready = standby(ctx, demand, shift, exclude=on, rules=(need.eligibility,))
            found.append(
                Margin(
                    day,
                    need.shift_code,
                    need.name or need.shift_code,
                    assigned,
                    need.min_count,
                    len(ready),
                )
            )
    found.sort(key=lambda m: (m.day, m.shift_code, m.label))
    return found


def shift_holders(
    ctx: ScheduleContext, start: dt.date, end: dt.date
) -> dict[tuple[dt.date, str], set[int]]:
    """Who holds each (day, shift) of ``start``..``end``."""
    holders: dict[tuple[dt.date, str], set[int]] = defaultdict(set)
    for pid in ctx.person_ids:
        for a in ctx.assignments_of(pid):
            if start <= a.date <= end:
                holders[(a.date, a.shift_code)].add(pid)
    return holders
