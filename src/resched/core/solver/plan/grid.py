"""Planning slots: the blocks, or their halves when some rotation allows half blocks.

The solver, the checker and the scorer all speak in slots so that half blocks need no special
cases; a slot's dates come from ``calendar.split_block``, the program's one definition of a half.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from resched.core.calendar import split_block
from resched.core.model import Block, BlockAssignment


@dataclass(frozen=True, slots=True)
class Slot:
    index: int
    block: int
    half: int | None
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        if self.half is None:
            return f"block {self.block}"
        return f"block {self.block} ({'1st' if self.half == 1 else '2nd'} half)"

    def touches(self, start: dt.date, end: dt.date) -> bool:
        return start <= self.end and self.start <= end


def plan_slots(blocks: Sequence[Block], halves: int) -> tuple[Slot, ...]:
    """Slots in time order (blocks sorted by number, which is their order in the year)."""
    slots: list[Slot] = []
    for block in sorted(blocks, key=lambda b: b.number):
        if halves == 1:
            slots.append(Slot(len(slots), block.number, None, block.start, block.end))
            continue
        for half, part in enumerate(split_block(block), start=1):
            slots.append(Slot(len(slots), block.number, half, part.start, part.end))
    return tuple(slots)


def slots_of(slots: Iterable[Slot], block: int, half: int | None = None) -> list[Slot]:
    """The slots a cell covers: both halves for a whole-block cell."""
    return [s for s in slots if s.block == block and (half is None or s.half == half)]


Cells = dict[tuple[int, int], str]  # (person id, slot index) -> rotation code


def expand_cells(
    assignments: Iterable[BlockAssignment], slots: Sequence[Slot]
) -> tuple[Cells, list[str]]:
    """The plan as one rotation per (person, slot), and the cells that do not fit the slots
    (unknown blocks, halves where the plan has none, two rotations in one slot)."""
    cells: Cells = {}
    problems: list[str] = []
    halves_used = any(s.half is not None for s in slots)
    for a in assignments:
        if a.half is not None and not halves_used:
            problems.append(
                f"person {a.person_id}: half {a.half} of block {a.block_number} given, "
                "but no rotation allows half blocks"
            )
            continue
        covered = slots_of(slots, a.block_number, a.half)
        if not covered:
            problems.append(f"person {a.person_id}: block {a.block_number} is not in the year")
        for slot in covered:
            key = (a.person_id, slot.index)
            if key in cells:
                problems.append(f"person {a.person_id}: two rotations in {slot.label}")
            cells[key] = a.rotation_code
    return cells, problems
