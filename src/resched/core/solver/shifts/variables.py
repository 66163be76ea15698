"""The variable container: one Boolean per candidate slot, looked up by meaning, never by index.

Before variables are made, clashes with published (fixed) slots are settled: a candidate that
would overlap a published shift, or break the rest after a published 24 h call, gets no variable
at all, and the reason is kept for the explanations ("post-call after CALL on Jun 30").
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from ortools.sat.python import cp_model

from resched.core.rest import MIN_REST, NIGHT_FLOAT_FREE_DAY
from resched.core.rules.findings import CONTINUOUS_DUTY, DOUBLE_BOOKED, fmt_number
from resched.core.solver.shifts.candidates import Candidates
from resched.core.solver.shifts.conflicts import (
    Clash,
    Timing,
    duty_clashes,
    overlaps,
    rest_clashes,
)
from resched.core.solver.shifts.slots import Slot, SlotKey


class ShiftVars:
    """Slots with their literals: ``slot(person, day, shift)`` holds the Boolean "person works
    shift on day" (None when that triple is not a candidate)."""

    def __init__(self, slots: Iterable[Slot], fixed: Iterable[Slot]) -> None:
        self._by_key: dict[SlotKey, Slot] = {}
        self._by_person: dict[int, list[Slot]] = defaultdict(list)
        self._by_cell: dict[tuple[dt.date, str], list[Slot]] = defaultdict(list)
        for slot in (*fixed, *slots):
            self._by_person[slot.person.id].append(slot)
            if not slot.fixed:
                self._by_key[slot.key] = slot
                self._by_cell[(slot.day, slot.shift.code)].append(slot)
        for items in self._by_person.values():
            items.sort(key=lambda s: (s.interval.start, s.interval.end, s.shift.code))

    def slot(self, person_id: int, day: dt.date, shift_code: str) -> Slot | None:
        return self._by_key.get((person_id, day, shift_code))

    def of_person(self, person_id: int) -> list[Slot]:
        """Every slot of the person, published ones included, sorted by start."""
        return self._by_person.get(person_id, [])

    def on(self, day: dt.date, shift_code: str) -> list[Slot]:
        """Candidate slots of the range for a shift on a day."""
        return self._by_cell.get((day, shift_code), [])

    @property
    def people(self) -> list[int]:
        return sorted(self._by_person)

    @property
    def decided(self) -> list[Slot]:
        return list(self._by_key.values())


def _clashes(slots: list[Slot], timing: Timing) -> list[Clash]:
    found = list(overlaps(slots))
    if slots and slots[0].is_resident:
        found += duty_clashes([s for s in slots if s.is_duty], timing)
        found += rest_clashes(slots, timing)
    return found


def _reason(clash: Clash, candidate: Slot) -> str:
    others = [s for s in clash.slots if s is not candidate]
    if clash.rule == DOUBLE_BOOKED:
        return f"already on {others[0].describe()}"
    if clash.rule == MIN_REST:
        hours = fmt_number(clash.seconds / 3600)
        side = "before" if candidate is clash.slots[0] else "after"
        return f"resting {side} {others[0].describe()} (only {hours} h between the shifts)"
    if clash.rule == NIGHT_FLOAT_FREE_DAY:
        if candidate is clash.slots[0]:
            return f"kept off night float: {others[0].describe()} would fall on its free day"
        return f"on the free day after night float ({others[0].describe()})"
    if clash.rule == CONTINUOUS_DUTY:
        hours = fmt_number(clash.seconds / 3600)
        return f"kept off {candidate.describe()}: {hours} h of continuous duty"
    return f"resting after {others[0].describe()} (14 h off after 24 h on duty)"


def settle_fixed(candidates: Candidates, timing: Timing) -> tuple[list[Clash], list[Clash]]:
    """Drops candidates that clash with published or locked slots alone (recording why) and
    returns the clashes left between candidates, and those among settled slots only (already
    broken, or locks that cannot all hold: the locks constraint then makes it infeasible)."""
    people: dict[int, list[Slot]] = defaultdict(list)
    for slot in (*candidates.fixed, *candidates.slots):
        people[slot.person.id].append(slot)
    dropped: set[int] = set()
    open_clashes, broken = [], []
    settled = candidates.locked
    for items in people.values():
        items.sort(key=lambda s: (s.interval.start, s.interval.end, s.shift.code))
        for clash in _clashes(items, timing):
            free = [s for s in clash.slots if not s.fixed and s.key not in settled]
            if all(s.fixed for s in clash.slots):
                broken.append(clash)
            elif not free:
                open_clashes.append(clash)  # locks against locks: the model says infeasible
            elif len(free) == 1:
                if id(free[0]) not in dropped:
                    dropped.add(id(free[0]))
                    candidates.removed[free[0].key] = _reason(clash, free[0])
            else:
                open_clashes.append(clash)
    candidates.slots = [s for s in candidates.slots if id(s) not in dropped]
    left = [c for c in open_clashes if not any(id(s) in dropped for s in c.slots)]
    return left, broken


def make_vars(model: cp_model.CpModel, candidates: Candidates) -> ShiftVars:
    for slot in candidates.slots:
        slot.literal = model.new_bool_var(f"x[{slot.person.code},{slot.day},{slot.shift.code}]")
    return ShiftVars(candidates.slots, candidates.fixed)
