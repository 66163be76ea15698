"""Repair: every assignment added to or removed from the published schedule costs
``changed_assignment``, a weight that dominates every other goal (DOMAIN.md, "Repair": the
smallest set of changes that restores coverage without breaking a rule)."""

from __future__ import annotations

from resched.core.solver.shifts.context import ModelContext
from resched.core.solver.shifts.problem import CHANGED_ASSIGNMENT, Mode
from resched.core.solver.shifts.wording import day_text, name


def add_changes(ctx: ModelContext) -> None:
    if ctx.problem.mode is not Mode.REPAIR:
        return  # a fresh schedule changes nothing published
    published = {
        (a.person_id, a.date, a.shift_code)
        for a in ctx.problem.published
        if ctx.horizon.decides(a.date)
    }
    for key in sorted(published):
        pid, day, code = key
        slot = ctx.vars.slot(pid, day, code)
        person = ctx.people[pid]
        text = f"{name(person)}: taken off {code} on {day_text(day)}"
        if slot is None:
            text += f" ({ctx.candidates.removed.get(key, 'no longer eligible')})"
        expr = 1 if slot is None else 1 - slot.literal
        ctx.penalise(CHANGED_ASSIGNMENT, expr, text, person_id=pid, date=day)
    for slot in ctx.vars.decided:
        if slot.key not in published:
            text = f"{name(slot.person)}: newly on {slot.describe()}"
            ctx.penalise(
                CHANGED_ASSIGNMENT, slot.literal, text, person_id=slot.person.id, date=slot.day
            )
