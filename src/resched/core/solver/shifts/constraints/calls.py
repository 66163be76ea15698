"""``call-q3`` (in-house call at most every third night, averaged over the windows) and
``night-float-consecutive`` (at most N night-float nights in a row)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from resched.core.model import ShiftKind
from resched.core.solver.blocks.runs import sliding_windows
from resched.core.solver.shifts.constraints.windows import ResidentDays
from resched.core.solver.shifts.context import ModelContext
from resched.core.solver.shifts.slots import Slot
from resched.core.solver.shifts.wording import name


def add_call_q3(ctx: ModelContext, days: ResidentDays) -> None:
    """Calls starting in the window x 3 <= effective days (9 in 28 legal, 10 not)."""
    nth = ctx.rules.call_every_nth_night
    horizon = ctx.horizon
    calls: dict[int, list[Slot]] = defaultdict(list)
    for slot in ctx.vars.of_person(days.person.id):
        if slot.kind is ShiftKind.IN_HOUSE_CALL:
            calls[horizon.index(slot.day)].append(slot)
    for window in horizon.windows:
        effective = days.effective(window)
        inside = [s for k in range(window.lo, window.hi) for s in calls.get(k, [])]
        if effective <= 0 or all(s.fixed for s in inside):
            continue
        ctx.require(
            f"q3:{days.person.id}",
            f"{name(days.person)}: in-house call at most every {nth} nights on average",
            ctx.model.add(sum(s.lit for s in inside) * nth <= effective),
        )


def add_night_float(ctx: ModelContext, days: ResidentDays) -> None:
    """Every run of limit + 1 consecutive days reaching into the range holds at most ``limit``
    night-float days. Published nights before the range count (a run may cross the start)."""
    limit = ctx.rules.night_float_max_consecutive
    if limit <= 0:
        return
    nights: dict[dt.date, list[Slot]] = defaultdict(list)
    for slot in ctx.vars.of_person(days.person.id):
        if slot.kind is ShiftKind.NIGHT_FLOAT:
            nights[slot.day].append(slot)
    first = ctx.horizon.start - dt.timedelta(days=limit)
    dates = [
        first + dt.timedelta(days=i) for i in range((ctx.horizon.end - first).days + limit + 1)
    ]
    for run in sliding_windows(dates, limit + 1):
        inside = [s for day in run for s in nights.get(day, [])]
        if all(s.fixed for s in inside):
            continue
        ctx.require(
            f"nf:{days.person.id}",
            f"{name(days.person)}: at most {limit} night-float nights in a row",
            ctx.model.add(sum(s.lit for s in inside) <= limit),
        )
