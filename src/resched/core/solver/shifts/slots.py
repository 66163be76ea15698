"""A person on a shift type on a date, placed in real time: the unit every constraint reads.

Intervals come from ``core.intervals`` (the validator's own arithmetic: transition minutes
included, DST-aware), and each slot knows the seconds it puts on each horizon day, clipped at
local midnights, so the 80-hour windows are integer sums exactly as the validator counts them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from resched.core.intervals import DayParts, Interval, assignment_interval, day_parts
from resched.core.model import Person, Role, ShiftKind, ShiftType
from resched.core.solver.shifts.horizon import Horizon

SlotKey = tuple[int, dt.date, str]


@dataclass(eq=False, slots=True)
class Slot:
    """One possible (or published) assignment. ``literal`` is its CP-SAT Boolean once the model
    has one; ``fixed`` slots (published outside the range) have none and are always worked."""

    person: Person
    day: dt.date
    shift: ShiftType
    interval: Interval
    parts: DayParts  # (horizon day index, seconds on that day)
    fixed: bool = False
    literal: Any = None  # cp_model.IntVar; ortools ships no type information

    @property
    def key(self) -> SlotKey:
        return (self.person.id, self.day, self.shift.code)

    @property
    def lit(self) -> Any:
        """The literal, or True for a published slot: constraints treat both alike."""
        return True if self.fixed else self.literal

    @property
    def is_duty(self) -> bool:
        return self.shift.kind.is_duty

    @property
    def is_resident(self) -> bool:
        return self.person.role is Role.RESIDENT

    @property
    def kind(self) -> ShiftKind:
        return self.shift.kind

    def touches(self) -> list[int]:
        """Horizon days this slot's interval overlaps (what makes a day not free)."""
        return [k for k, _ in self.parts]

    def describe(self) -> str:
        return f"{self.shift.code} on {self.day:%b} {self.day.day}"


class Placer:
    """Builds slots; intervals are memoised per (date, shift), where the timezone work is."""

    def __init__(self, horizon: Horizon) -> None:
        self._horizon = horizon
        self._cache: dict[tuple[dt.date, str], tuple[Interval, DayParts]] = {}

    def place(self, person: Person, day: dt.date, shift: ShiftType, *, fixed: bool) -> Slot:
        key = (day, shift.code)
        found = self._cache.get(key)
        if found is None:
            iv = assignment_interval(day, shift, self._horizon.zone)
            found = (iv, day_parts(iv, self._horizon.bounds))
            self._cache[key] = found
        return Slot(person, day, shift, found[0], found[1], fixed=fixed)
