"""Coverage: between min and max eligible people on each demanded shift, day by day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from resched.core.model import CoverageRequirement
from resched.core.solver.shifts.candidates import is_eligible
from resched.core.solver.shifts.context import ModelContext
from resched.core.solver.shifts.problem import EXTRA_SHIFT
from resched.core.solver.shifts.slots import Slot, SlotKey
from resched.core.solver.shifts.wording import demand_text, name, who


def eligible_slots(ctx: ModelContext, need: CoverageRequirement, day: dt.date) -> list[Slot]:
    return [
        s
        for s in ctx.vars.on(day, need.shift_code)
        if is_eligible(s.person, ctx.rotation(s.person.id, day), need.eligibility)
    ]


def demand_days(ctx: ModelContext) -> Iterator[tuple[int, CoverageRequirement, dt.date]]:
    """Each demand with each day of the range it applies on (weekdays, dates, holiday rule)."""
    holidays = frozenset(ctx.problem.holidays)
    for index, need in enumerate(ctx.problem.coverage):
        for day in ctx.horizon.range_days():
            if need.applies_on(day, holidays):
                yield index, need, day


def add_coverage(ctx: ModelContext, skip: frozenset[str] | None = None) -> None:
    """Each demand, each day it applies on: min <= sum of the eligible <= max. Demands named
    ``coverage:<index>`` in ``skip`` (by default the context's ``left_out``) are left out
    (diagnosis)."""
    skip = ctx.left_out if skip is None else skip
    for index, need, day in demand_days(ctx):
        if f"coverage:{index}" in skip:
            continue
        slots = eligible_slots(ctx, need, day)
        total = sum(s.literal for s in slots)
        least = need.min_count
        if day > ctx.problem.end:
            # Look-ahead days only show that the range can be continued; a shortage there
            # belongs to the next range's schedule, not to this one.
            least = min(least, len(slots))
        text = demand_text(need, day)
        ctx.require(
            f"cover:{index}:{day}",
            f"{text} needs at least {least} {who(need.eligibility)}",
            ctx.model.add(total >= least),
        )
        ctx.require(
            f"cover-max:{index}:{day}",
            f"{text} takes at most {need.max_count}",
            ctx.model.add(total <= need.max_count),
        )


def add_extra_shifts(ctx: ModelContext) -> None:
    """A slot beyond a demand's minimum that no pattern asks for costs ``extra_shift``, so that
    surplus staffing (a fifth preceptor) appears only when something else needs it."""
    extra: set[SlotKey] = set()  # decided slots beyond a minimum; one slot per key
    for _, need, day in demand_days(ctx):
        if need.max_count > need.min_count:
            slots = eligible_slots(ctx, need, day)
            extra.update(s.key for s in slots if s.key not in ctx.candidates.patterned)
    for slot in ctx.vars.decided:
        if slot.key in extra:
            text = f"{name(slot.person)}: {slot.describe()} beyond the minimum staffing"
            ctx.penalise(EXTRA_SHIFT, slot.literal, text, person_id=slot.person.id, date=slot.day)
