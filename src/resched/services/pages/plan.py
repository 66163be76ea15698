"""The block-plan grid: residents of one academic year grouped by PGY, one cell per block.

A fixed number of queries (seven) whatever the number of residents, blocks or assignments.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from resched.core.model import AcademicYear, BlockAssignment, Person, Role, Rotation
from resched.db.mappers.people import person_from_row
from resched.db.session import transaction
from resched.db.tables import BlockAssignmentRow, BlockRow, PersonRow, PersonYearRow
from resched.services.pages.common import (
    PlanVersion,
    all_rotations,
    all_years,
    assignment_to_core,
    chosen_versions,
    load_program_info,
    pick_year,
)
from resched.services.years import program_today


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


def load_plan(
    *,
    session_factory: sessionmaker[Session],
    year_label: str | None = None,
    pgy: int | None = None,
    today: dt.date | None = None,
    include_drafts: bool = True,
) -> PlanView:
    """The plan of ``year_label`` (default: the current academic year), optionally only the
    residents of one PGY level. Raises NotFound for an unknown year label."""
    with transaction(session_factory) as session:
        program = load_program_info(session)
        years = all_years(session)
        today = today or program_today(program.timezone)
        year = pick_year(years, year_label, today)
        rotations = all_rotations(session)
        if year is None or year.id is None:
            return PlanView(program.name, (), None, None, rotations, (), (), pgy)
        levels = _resident_levels(session, year.id)
        version = chosen_versions(session, [year.id], include_drafts=include_drafts).get(year.id)
        assignments = _assignments(session, version.id) if version else []
    codes = {rotation.id: rotation.code for rotation in rotations}
    groups = _group_rows(year, levels, assignments, codes, pgy)
    pgy_levels = tuple(sorted({level for _, level in levels}))
    labels = tuple(y.label for y in years)
    return PlanView(
        program.name,
        labels,
        year,
        version,
        rotations,
        groups,
        pgy_levels,
        pgy,
        len(assignments),
        today,
    )


def _resident_levels(session: Session, year_id: int) -> list[tuple[Person, int]]:
    rows = session.execute(
        select(PersonRow, PersonYearRow.pgy)
        .join(PersonYearRow, PersonYearRow.person_id == PersonRow.id)
        .where(PersonYearRow.academic_year_id == year_id, PersonRow.role == Role.RESIDENT)
        .order_by(PersonYearRow.pgy, PersonRow.name, PersonRow.id)
    ).all()
    return [(person_from_row(row, pgy), pgy) for row, pgy in rows]


def _assignments(session: Session, version_id: int) -> list[tuple[BlockAssignmentRow, int]]:
    rows = session.execute(
        select(BlockAssignmentRow, BlockRow.number)
        .join(BlockRow, BlockRow.id == BlockAssignmentRow.block_id)
        .where(BlockAssignmentRow.version_id == version_id)
        .order_by(BlockRow.number, BlockAssignmentRow.half)
    ).all()
    return [(row, number) for row, number in rows]


def _group_rows(
    year: AcademicYear,
    levels: list[tuple[Person, int]],
    assignments: list[tuple[BlockAssignmentRow, int]],
    codes: dict[int | None, str],
    pgy: int | None,
) -> tuple[PgyGroup, ...]:
    by_cell: dict[tuple[int, int], list[BlockAssignment]] = defaultdict(list)
    for row, number in assignments:
        by_cell[(row.person_id, number)].append(assignment_to_core(row, number, codes))
    by_level: dict[int, list[PlanRow]] = defaultdict(list)
    for person, level in levels:
        if pgy is not None and level != pgy:
            continue
        cells = tuple(tuple(by_cell.get((person.id, b.number), ())) for b in year.blocks)
        by_level[level].append(PlanRow(person, cells))
    return tuple(PgyGroup(level, tuple(rows)) for level, rows in sorted(by_level.items()))
