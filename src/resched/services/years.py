"""The program's "today" and which academic year and schedule version are current: shared by
the use cases (generation, fairness) and the pages' read models, which build on them.

Which plan is current: per academic year, the most recently published schedule version; if
none is published, the most recent draft. Archived versions are never shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from resched.core.model import AcademicYear, Rotation, ScheduleStatus
from resched.db.repositories import ProgramRepository
from resched.db.tables import RotationRow, ScheduleVersionRow
from resched.services.time_zone import program_zone

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


def program_today(timezone: str, now: dt.datetime | None = None) -> dt.date:
    """Today's date in the program's time zone (UTC if the zone is unknown)."""
    return (now or dt.datetime.now(dt.UTC)).astimezone(program_zone(timezone)).date()


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
