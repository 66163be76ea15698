"""The utilization of each pool: the hours its people work against the hours they could
legally work.

A pool is a coverage requirement with a minimum (the PGY-2+ ward call pool, the ICU team...).
Over the horizon, each day the requirement applies on and a person is eligible for it (role,
PGY, rotation, credentials), active and not on leave is one *pool day*. Then

- capacity = pool days x (the weekly hour limit / 7): the most the program's rules let those
  people work on those days (80 hours a week by default, spread evenly);
- assigned = the hours of the duty shifts those people start on those days (any shift: a
  resident on call is not free for anything else);
- utilization = assigned / capacity.

At or over ``LINE`` (80 %) a pool has no slack left: one more absence has to be absorbed by
people already near their legal limit.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from resched.core.calendar import iter_days
from resched.core.candidates import is_absent
from resched.core.contingency.standby import Demand
from resched.core.rules import ScheduleContext

LINE = 0.8


@dataclass(frozen=True, slots=True)
class Pool:
    label: str
    shift_code: str
    people: int  # distinct people with at least one pool day
    pool_days: int
    assigned_hours: float
    capacity_hours: float

    @property
    def utilization(self) -> float:
        return self.assigned_hours / self.capacity_hours if self.capacity_hours else 0.0

    @property
    def no_slack(self) -> bool:
        return self.utilization >= LINE


def utilization(ctx: ScheduleContext, demand: Demand, start: dt.date, end: dt.date) -> list[Pool]:
    """Each requirement with a minimum as a pool, fullest first."""
    hours = _duty_hours(ctx, start, end)
    per_day = ctx.rules.hours_per_week_limit / 7
    days = list(iter_days(start, end))
    pools = []
    for need in demand.needs:
        if need.min_count == 0:
            continue
        members: set[int] = set()
        pool_days, assigned = 0, 0.0
        open_days = [d for d in days if need.applies_on(d, demand.holidays)]
        for pid in ctx.person_ids:
            if not ctx.people[pid].active:
                continue
            for day in open_days:
                if not demand.eligible(ctx, pid, day, need.eligibility) or is_absent(ctx, pid, day):
                    continue
                members.add(pid)
                pool_days += 1
                assigned += hours.get((pid, day), 0.0)
        if not pool_days:
            continue  # the requirement does not apply in the horizon, or nobody qualifies
        label = need.name or need.shift_code
        pools.append(
            Pool(label, need.shift_code, len(members), pool_days, assigned, pool_days * per_day)
        )
    return sorted(pools, key=lambda p: (-p.utilization, p.label))


def _duty_hours(
    ctx: ScheduleContext, start: dt.date, end: dt.date
) -> dict[tuple[int, dt.date], float]:
    found: dict[tuple[int, dt.date], float] = defaultdict(float)
    for pid in ctx.person_ids:
        for a in ctx.assignments_of(pid):
            shift = ctx.shift_types[a.shift_code]
            if start <= a.date <= end and shift.kind.is_duty:
                found[(pid, a.date)] += shift.minutes / 60
    return found
