"""What the averaged rules share: per resident, per horizon day, and the windows to check."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from resched.core.model import Person, Role, ShiftKind
from resched.core.rules.windows import Window
from resched.core.solver.shifts.context import ModelContext
from resched.core.solver.shifts.slots import Slot


@dataclass(frozen=True, slots=True)
class ResidentDays:
    """One resident's slots by the horizon days they touch, and leave by horizon day."""

    person: Person
    touching: dict[int, list[Slot]]
    leave: list[bool]

    def effective(self, window: Window) -> int:
        """Window days minus leave days (ACGME.md, "Window")."""
        return (window.hi - window.lo) - sum(self.leave[window.lo : window.hi])


def resident_days(ctx: ModelContext) -> Iterator[ResidentDays]:
    """Residents with at least one slot to decide (the others have nothing to constrain)."""
    horizon = ctx.horizon
    for pid in ctx.vars.people:
        person = ctx.people[pid]
        slots = ctx.vars.of_person(pid)
        if person.role is not Role.RESIDENT or all(s.fixed for s in slots):
            continue
        touching: dict[int, list[Slot]] = defaultdict(list)
        for slot in slots:
            if slot.kind is not ShiftKind.OFF:
                for k in slot.touches():
                    touching[k].append(slot)
        leave = [ctx.on_leave(pid, horizon.day(k)) for k in range(horizon.days)]
        yield ResidentDays(person, touching, leave)
