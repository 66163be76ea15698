"""Pieces the page read models share: the program's "today", which year and which schedule
version a page shows, and row -> core conversions for the columns the pages need.

Which plan a page shows: per academic year, the most recently published schedule version; if
none is published, the most recent draft. Archived versions are never shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from resched.core.errors import NotFound
from resched.core.model import AcademicYear, BlockAssignment, Rotation, ScheduleStatus
from resched.db.repositories import AcademicYearRepository, ProgramRepository
from resched.db.session import transaction
from resched.db.tables import BlockAssignmentRow, RotationRow, ScheduleVersionRow
from resched.services.years import program_today

NO_PROGRAM_NAME = "resched"


@dataclass(frozen=True, slots=True)
class PlanVersion:
    id: int
    status: ScheduleStatus
    label: str


@dataclass(frozen=True, slots=True)
class ProgramInfo:
    name: str
    timezone: str


def choose_year[Y: AcademicYear](years: Sequence[Y], today: dt.date) -> Y | None:
    """The year containing ``today``; else the next one to start; else the latest one."""
    ordered = sorted(years, key=lambda y: y.start)
    for year in ordered:
        if year.start <= today <= year.end:
            return year
    upcoming = [y for y in ordered if y.start > today]
    if upcoming:
        return upcoming[0]
    return ordered[-1] if ordered else None


def load_program_info(session: Session) -> ProgramInfo:
    program = ProgramRepository(session).get()
    if program is None:
        return ProgramInfo(NO_PROGRAM_NAME, "UTC")
    return ProgramInfo(program.name, program.timezone)


def all_years(session: Session) -> list[AcademicYear]:
    """Every academic year with its blocks, oldest first (three queries)."""
    return AcademicYearRepository(session).all()


def all_rotations(session: Session) -> tuple[Rotation, ...]:
    """Rotations with the fields a plan shows (code, name, colour), by code."""
    rows = session.scalars(select(RotationRow).order_by(RotationRow.code)).all()
    return tuple(Rotation(code=r.code, name=r.name, colour=r.colour, id=r.id) for r in rows)


def chosen_versions(
    session: Session, year_ids: Iterable[int], *, include_drafts: bool = True
) -> dict[int, PlanVersion]:
    """Per academic year: the latest published version, else (with drafts) the latest draft."""
    hidden = [ScheduleStatus.ARCHIVED] + ([] if include_drafts else [ScheduleStatus.DRAFT])
    rows = session.scalars(
        select(ScheduleVersionRow)
        .where(
            ScheduleVersionRow.academic_year_id.in_(list(year_ids)),
            ScheduleVersionRow.status.not_in(hidden),
        )
        .order_by(ScheduleVersionRow.id)
    ).all()
    chosen: dict[int, ScheduleVersionRow] = {}
    for row in rows:
        current = chosen.get(row.academic_year_id)
        if current is None or _rank(row) >= _rank(current):
            chosen[row.academic_year_id] = row
    return {year_id: PlanVersion(row.id, row.status, row.label) for year_id, row in chosen.items()}


def _rank(row: ScheduleVersionRow) -> tuple[bool, dt.datetime, int]:
    published = row.status is ScheduleStatus.PUBLISHED
    when = row.published_at if published and row.published_at else row.created_at
    return (published, when, row.id)


def assignment_to_core(
    row: BlockAssignmentRow, number: int, codes: dict[int | None, str]
) -> BlockAssignment:
    return BlockAssignment(
        person_id=row.person_id,
        block_number=number,
        rotation_code=codes.get(row.rotation_id, "?"),
        half=row.half or None,  # the table stores 0 for "the whole block"
        locked=row.locked,
    )


def load_rotations(*, session_factory: sessionmaker[Session]) -> tuple[Rotation, ...]:
    """Every rotation's code, name and colour (one query): the colour stylesheet's source."""
    with transaction(session_factory) as session:
        return all_rotations(session)


@dataclass(frozen=True, slots=True)
class YearChoice:
    """The academic year a page shows, and the others it can switch to."""

    program_name: str
    year: AcademicYear | None
    labels: tuple[str, ...]


def resolve_year(
    *,
    session_factory: sessionmaker[Session],
    year_label: str | None = None,
    today: dt.date | None = None,
) -> YearChoice:
    """``year_label``'s year, or the current one (see ``choose_year``); NotFound for an
    unknown label. Four queries."""
    with transaction(session_factory) as session:
        program = load_program_info(session)
        years = all_years(session)
    year = pick_year(years, year_label, today or program_today(program.timezone))
    return YearChoice(program.name, year, tuple(y.label for y in years))


def pick_year(
    years: Sequence[AcademicYear], label: str | None, today: dt.date
) -> AcademicYear | None:
    if label is None:
        return choose_year(years, today)
    for year in years:
        if year.label == label:
            return year
    raise NotFound(f"There is no academic year {label!r}.", details={"year": label})
