"""``hours-80``: hours in each window / (effective days / 7) <= the limit, in integer seconds.

Each slot carries the seconds it puts on each horizon day, clipped at local midnights with the
validator's own interval arithmetic (so a DST night is 25 h and a call starting on a window's
last day counts until midnight); leave days count nothing. The comparison is the validator's:
seconds x 7 x den <= num x 3600 x effective days, with the limit num/den exact.
"""

from __future__ import annotations

from resched.core.solver.shifts.constraints.windows import ResidentDays
from resched.core.solver.shifts.context import ModelContext
from resched.core.solver.shifts.wording import name

_HOUR, _WEEK = 3600, 7


def add_hours(ctx: ModelContext, days: ResidentDays) -> None:
    limit = ctx.timing.limits.hours
    scale_worked = limit.denominator * _WEEK
    scale_days = limit.numerator * _HOUR
    person = days.person
    per_day = {}
    for k, slots in days.touching.items():
        if not days.leave[k]:
            per_day[k] = [(s, dict(s.parts)[k]) for s in slots if s.is_duty]
    for window in ctx.horizon.windows:
        effective = days.effective(window)
        pieces = [p for k in range(window.lo, window.hi) for p in per_day.get(k, [])]
        if effective <= 0 or all(s.fixed for s, _ in pieces):
            continue
        worked = sum(seconds * s.lit for s, seconds in pieces)
        ctx.require(
            f"hours:{person.id}",
            f"{name(person)}: at most {ctx.rules.hours_per_week_limit:g} h a week on average",
            ctx.model.add(worked * scale_worked <= scale_days * effective),
        )
