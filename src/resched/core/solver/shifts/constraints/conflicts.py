"""``double-booked`` and ``absence-conflict``, and locked assignments.

Leave never reaches the model: a slot touching a leave day has no variable (candidates.py), so
``absence-conflict`` holds by construction. Overlaps are clauses over the clashes found once
per person (conflicts.py).
"""

from __future__ import annotations

from resched.core.rules.findings import DOUBLE_BOOKED
from resched.core.solver.shifts.conflicts import Clash
from resched.core.solver.shifts.context import ModelContext
from resched.core.solver.shifts.wording import day_text, name


def forbid(ctx: ModelContext, clash: Clash, key: str, message: str) -> None:
    """Not all of the clash's slots; published slots are facts, so only the others count."""
    free = [s.literal.Not() for s in clash.slots if not s.fixed]
    ctx.require(key, message, ctx.model.add_bool_or(free))


def add_double_booked(ctx: ModelContext) -> None:
    for clash in ctx.clashes:
        if clash.rule == DOUBLE_BOOKED:
            person = clash.slots[0].person
            forbid(ctx, clash, f"overlap:{person.id}", f"{name(person)}: one shift at a time")


def add_locks(ctx: ModelContext) -> None:
    """Locked assignments hold. A lock without a slot (on leave, clashing with a published
    shift) is reported by the pre-check before any model is built."""
    for lock in ctx.problem.locked:
        if not ctx.horizon.decides(lock.date):
            continue
        slot = ctx.vars.slot(lock.person_id, lock.date, lock.shift_code)
        if slot is not None:
            ctx.require(
                f"lock:{lock.person_id}:{lock.date}:{lock.shift_code}",
                f"{name(slot.person)} is locked on {lock.shift_code} on {day_text(lock.date)}",
                ctx.model.add(slot.literal == 1),
            )
