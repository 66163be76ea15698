"""The block-plan grid's value types: residents of one academic year grouped by PGY level, one
cell per block. Built by the plan page (services/pages/plan.py) from the shown version and by
the draft review (services/generation/review.py) from a generated draft."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from resched.core.model import AcademicYear, BlockAssignment, Person, Rotation
from resched.services.years import PlanVersion


@dataclass(frozen=True, slots=True)
class PlanRow:
    """One resident's line: ``cells[i]`` holds the assignments of the year's block ``i``
    (none: unassigned; one: the whole block or one half; two: both halves)."""

    person: Person
    cells: tuple[tuple[BlockAssignment, ...], ...]


@dataclass(frozen=True, slots=True)
class PgyGroup:
    pgy: int
    rows: tuple[PlanRow, ...]


@dataclass(frozen=True, slots=True)
class PlanView:
    program_name: str
    year_labels: tuple[str, ...]
    year: AcademicYear | None
    version: PlanVersion | None
    rotations: tuple[Rotation, ...]
    groups: tuple[PgyGroup, ...]
    pgy_levels: tuple[int, ...]
    pgy: int | None
    assignment_count: int = 0
    today: dt.date | None = None

    @property
    def is_empty(self) -> bool:
        """No plan yet: no schedule version, or one without a single block assignment."""
        return self.assignment_count == 0


def group_by_pgy(
    year: AcademicYear,
    residents: Iterable[tuple[Person, int]],
    assignments: Iterable[BlockAssignment],
    pgy: int | None = None,
) -> tuple[PgyGroup, ...]:
    """One group per PGY level (ascending), its residents in the order given; ``pgy`` keeps
    only that level."""
    by_cell: dict[tuple[int, int], list[BlockAssignment]] = defaultdict(list)
    for assignment in assignments:
        by_cell[(assignment.person_id, assignment.block_number)].append(assignment)
    by_level: dict[int, list[PlanRow]] = defaultdict(list)
    for person, level in residents:
        if pgy is not None and level != pgy:
            continue
        cells = tuple(tuple(by_cell.get((person.id, b.number), ())) for b in year.blocks)
        by_level[level].append(PlanRow(person, cells))
    return tuple(PgyGroup(level, tuple(rows)) for level, rows in sorted(by_level.items()))
