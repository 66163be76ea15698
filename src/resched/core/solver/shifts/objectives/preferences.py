"""Preferences between legal schedules: call spacing (q4 or more over q3, and q2 - calls 2
nights apart - three times as costly, above evenness and a wish: problem.py), the 8 h rest of
``rest-8h`` (a "should", so a warning, avoided at a cost), and a free weekend day in every two
weekends for residents on the program's ``weekend_rotations``."""

from __future__ import annotations

import datetime as dt

from resched.core.model import Role
from resched.core.solver.shifts.conflicts import close_calls, short_rests
from resched.core.solver.shifts.constraints.free_days import free_literal
from resched.core.solver.shifts.constraints.windows import ResidentDays
from resched.core.solver.shifts.context import ModelContext
from resched.core.solver.shifts.problem import CALL_SPACING, REST_8H, WEEKEND_FREE
from resched.core.solver.shifts.wording import day_text, name

# Calls 2 nights apart (dates 2 days apart) cost three times as much as calls 3 nights apart.
_SPACING_SCALE = {2: 3, 3: 1}


def add_pair_preferences(ctx: ModelContext) -> None:
    for pid in ctx.vars.people:
        person = ctx.people[pid]
        if person.role is not Role.RESIDENT:
            continue
        slots = ctx.vars.of_person(pid)
        for a, b, apart in close_calls(slots):
            if a.fixed and b.fixed:
                continue
            both = ctx.both(a.lit, b.lit, f"q{apart}[{person.code},{a.day}]")
            text = (
                f"{name(person)}: calls {apart} days apart ({day_text(a.day)}, {day_text(b.day)})"
            )
            scale = _SPACING_SCALE[apart]
            ctx.penalise(CALL_SPACING, both, text, scale=scale, person_id=pid, date=b.day)
        duty = [s for s in slots if s.is_duty]
        for a, b, gap in short_rests(duty, ctx.timing):
            if a.fixed and b.fixed:
                continue
            both = ctx.both(a.lit, b.lit, f"rest8[{person.code},{b.day}]")
            text = (
                f"{name(person)}: {gap / 3600:g} h off between {a.describe()} and "
                f"{b.describe()} (should be {ctx.rules.rest_between_periods_hours:g})"
            )
            ctx.penalise(REST_8H, both, text, person_id=pid, date=b.day)


def add_weekend_free(ctx: ModelContext, days: ResidentDays) -> None:
    """In every two consecutive weekends spent on a weekend rotation, at least one free
    Saturday or Sunday. A pair belongs to the range that holds its second Sunday (the penalty's
    date): a pair that starts in the history is judged here, with its first weekend as
    published; one that ends in the look-ahead is left to the next range, which decides it."""
    wanted = ctx.problem.weekend_rotations
    if not wanted:
        return
    person = days.person
    horizon = ctx.horizon
    first = max(horizon.first, horizon.start - dt.timedelta(days=8))
    saturday = first + dt.timedelta(days=(5 - first.weekday()) % 7)
    while saturday + dt.timedelta(days=8) <= min(horizon.end, ctx.problem.end):
        weekend = [saturday + dt.timedelta(days=i) for i in (0, 1, 7, 8)]
        if all(
            ctx.rotation(person.id, d) in wanted and not ctx.on_leave(person.id, d) for d in weekend
        ):
            free = [free_literal(ctx, days, ctx.horizon.index(d)) for d in weekend]
            missed = ctx.model.new_bool_var(f"weekend[{person.code},{saturday}]")
            ctx.model.add(sum(free) + missed >= 1)
            text = f"{name(person)}: no free weekend day in two weekends from {day_text(saturday)}"
            last = saturday + dt.timedelta(days=8)
            ctx.penalise(WEEKEND_FREE, missed, text, person_id=person.id, date=last)
        saturday += dt.timedelta(days=7)
