"""``hours-80``: hours in each window / (effective days / 7) <= the limit, in integer seconds.

Each slot carries the seconds it puts on each horizon day, clipped at local midnights with the
validator's own interval arithmetic (so a DST night is 25 h and a call starting on a window's
last day counts until midnight); leave days count nothing. The comparison is the validator's:
seconds x 7 x den <= num x 3600 x effective days, with the limit num/den exact.

Each day's literals and seconds are gathered once and each window's sum is one weighted sum
(CP-SAT merges a literal that touches two days of the window): building the sum term by term
cost a third of the 150-resident model's build (docs/performance.md).
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from resched.core.solver.shifts.constraints.windows import ResidentDays
from resched.core.solver.shifts.context import ModelContext
from resched.core.solver.shifts.wording import name

_HOUR, _WEEK = 3600, 7


def add_hours(ctx: ModelContext, days: ResidentDays) -> None:
    limit = ctx.timing.limits.hours
    scale_worked = limit.denominator * _WEEK
    scale_days = limit.numerator * _HOUR
    person = days.person
    # Per horizon day: the decided literals, their scaled seconds, and the published seconds.
    literals: dict[int, list[object]] = {}
    weights: dict[int, list[int]] = {}
    fixed: dict[int, int] = {}
    for k, slots in days.touching.items():
        if days.leave[k]:
            continue
        for slot in slots:
            if not slot.is_duty:
                continue
            seconds = dict(slot.parts)[k]
            if slot.fixed:
                fixed[k] = fixed.get(k, 0) + seconds
            else:
                literals.setdefault(k, []).append(slot.literal)
                weights.setdefault(k, []).append(seconds * scale_worked)
    message = f"{name(person)}: at most {ctx.rules.hours_per_week_limit:g} h a week on average"
    for window in ctx.horizon.windows:
        effective = days.effective(window)
        span = range(window.lo, window.hi)
        if effective <= 0 or not any(k in literals for k in span):
            continue
        terms: list[object] = []
        coefficients: list[int] = []
        for k in span:
            terms += literals.get(k, ())
            coefficients += weights.get(k, ())
        published = sum(fixed.get(k, 0) for k in span) * scale_worked
        worked = cp_model.LinearExpr.weighted_sum(terms, coefficients)
        ctx.require(
            f"hours:{person.id}",
            message,
            ctx.model.add(worked + published <= scale_days * effective),
        )
