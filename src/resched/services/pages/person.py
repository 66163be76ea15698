"""The person page: details, PGY level per academic year, absences and block assignments.

A fixed number of queries whatever the number of years, absences or assignments.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from resched.core.errors import NotFound
from resched.core.model import Absence, AcademicYear, Block, BlockAssignment, Person, Rotation
from resched.db.mappers.availability import absence_from_row
from resched.db.mappers.people import person_from_row
from resched.db.session import transaction
from resched.db.tables import AbsenceRow, BlockAssignmentRow, BlockRow, PersonRow, PersonYearRow
from resched.services.pages.common import all_years, assignment_to_core
from resched.services.years import (
    PlanVersion,
    all_rotations,
    choose_year,
    chosen_versions,
    load_program_info,
    program_today,
)


@dataclass(frozen=True, slots=True)
class YearLevel:
    label: str
    start: dt.date
    end: dt.date
    pgy: int


@dataclass(frozen=True, slots=True)
class PlannedBlock:
    """One block of the person's shown plan: one assignment, or one per half."""

    year_label: str
    block: Block
    assignments: tuple[BlockAssignment, ...]
    version: PlanVersion


@dataclass(frozen=True, slots=True)
class PersonView:
    program_name: str
    person: Person  # ``pgy`` is the level in the current academic year, if any
    levels: tuple[YearLevel, ...]
    absences: tuple[Absence, ...]
    blocks: tuple[PlannedBlock, ...]
    rotations: tuple[Rotation, ...]


def load_person(
    *,
    factory: sessionmaker[Session],
    person_id: int,
    today: dt.date | None = None,
    include_drafts: bool = True,
) -> PersonView:
    """Everything the person page shows. Raises NotFound for an unknown id."""
    with transaction(factory) as session:
        row = session.get(PersonRow, person_id)
        if row is None:
            raise NotFound(f"There is no person {person_id}.", details={"person_id": person_id})
        program = load_program_info(session)
        years = {year.id: year for year in all_years(session) if year.id is not None}
        pgy_by_year = _levels(session, person_id)
        absences = session.scalars(
            select(AbsenceRow)
            .where(AbsenceRow.person_id == person_id)
            .order_by(AbsenceRow.start_date)
        ).all()
        versions = chosen_versions(session, list(years), include_drafts=include_drafts)
        rotations = all_rotations(session)
        planned = _planned_blocks(session, person_id, years, versions, rotations)
        current = choose_year(list(years.values()), today or program_today(program.timezone))
        person = person_from_row(
            row, pgy_by_year.get(current.id) if current and current.id else None
        )
        shown_absences = tuple(absence_from_row(a) for a in absences)
    levels = tuple(
        YearLevel(year.label, year.start, year.end, pgy_by_year[year_id])
        for year_id, year in years.items()
        if year_id in pgy_by_year
    )
    return PersonView(program.name, person, levels, shown_absences, planned, rotations)


def _levels(session: Session, person_id: int) -> dict[int, int]:
    rows = session.execute(
        select(PersonYearRow.academic_year_id, PersonYearRow.pgy).where(
            PersonYearRow.person_id == person_id
        )
    ).all()
    return {int(year_id): int(pgy) for year_id, pgy in rows}


def _planned_blocks(
    session: Session,
    person_id: int,
    years: dict[int, AcademicYear],
    versions: dict[int, PlanVersion],
    rotations: tuple[Rotation, ...],
) -> tuple[PlannedBlock, ...]:
    if not versions:
        return ()
    rows = session.execute(
        select(BlockAssignmentRow, BlockRow.number, BlockRow.academic_year_id)
        .join(BlockRow, BlockRow.id == BlockAssignmentRow.block_id)
        .where(
            BlockAssignmentRow.person_id == person_id,
            BlockAssignmentRow.version_id.in_([v.id for v in versions.values()]),
        )
        .order_by(BlockRow.start_date, BlockAssignmentRow.half)
    ).all()
    codes: dict[int | None, str] = {rotation.id: rotation.code for rotation in rotations}
    cells: dict[tuple[int, int], list[BlockAssignment]] = defaultdict(list)
    for row, number, year_id in rows:
        cells[(year_id, number)].append(assignment_to_core(row, number, codes))
    planned = []
    for (year_id, number), assignments in cells.items():
        year = years[year_id]
        block = next(b for b in year.blocks if b.number == number)
        planned.append(PlannedBlock(year.label, block, tuple(assignments), versions[year_id]))
    return tuple(planned)
