"""What a leave request touches: the published version over its days and the person's shifts
there, a night that starts the evening before and runs into the first day included."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from resched.core.errors import NotFound
from resched.core.model import Absence, ShiftKind
from resched.core.requests import touched_days
from resched.db.mappers.availability import absence_from_row
from resched.db.repositories import AcademicYearRepository, ShiftTypeRepository
from resched.db.repositories.schedule import (
    ScheduleVersion,
    ScheduleVersionRepository,
    ShiftAssignmentRepository,
)
from resched.db.tables import AbsenceRow, PersonRow
from resched.services.changes.model import Slot

ENTITY = "absence"
# The repair may also change a few days around the absence: whoever takes a call needs the
# rest after it (a post-call day) and before it, and those days' shifts must be free to move.
REPAIR_MARGIN_DAYS = 2


@dataclass(frozen=True, slots=True)
class LeaveRecord:
    """An absence with its decision, as the leave pages and API show it."""

    absence: Absence
    id: int
    person_code: str
    person_name: str
    decided_at: dt.datetime | None
    decision_note: str
    repair_version_id: int | None
    change_id: int | None


@dataclass(frozen=True, slots=True)
class Touched:
    """The published version the absence falls in (None: nothing published over its days), the
    person's shifts it touches, and the range a repair solves (None: no repair is needed)."""

    record: LeaveRecord
    version: ScheduleVersion | None
    shifts: tuple[Slot, ...]
    range: tuple[dt.date, dt.date] | None


def load_record(session: Session, absence_id: int) -> LeaveRecord:
    found = load_records(session, AbsenceRow.id == absence_id)
    if not found:
        raise NotFound(f"absence {absence_id} not found", details={"entity": ENTITY})
    return found[0]


def load_records(
    session: Session, *where: ColumnElement[bool], limit: int = 200
) -> list[LeaveRecord]:
    """Absences with their person and decision, in one query, latest start first."""
    rows = session.execute(
        select(AbsenceRow, PersonRow.code, PersonRow.name)
        .join(PersonRow, PersonRow.id == AbsenceRow.person_id)
        .where(*where)
        .order_by(AbsenceRow.start_date.desc(), AbsenceRow.id.desc())
        .limit(limit)
    ).all()
    return [
        LeaveRecord(
            absence_from_row(row),
            row.id,
            code,
            name,
            row.decided_at,
            row.decision_note,
            row.repair_version_id,
            row.change_id,
        )
        for row, code, name in rows
    ]


def published_over(session: Session, start: dt.date, end: dt.date) -> ScheduleVersion | None:
    """The published version of the academic year holding ``start`` (else any year the days
    touch)."""
    published = ScheduleVersionRepository(session).published_by_year()
    years = [y for y in AcademicYearRepository(session).all() if y.start <= end and start <= y.end]
    years.sort(key=lambda y: (not y.start <= start <= y.end, y.start))
    for year in years:
        if year.id in published:
            return ScheduleVersionRepository(session).get(published[year.id])
    return None


def touched_in(session: Session, absence_id: int) -> Touched:
    """The shifts the absence touches on the published version (OFF days are not work)."""
    record = load_record(session, absence_id)
    absence = record.absence
    version = published_over(session, absence.start, absence.end)
    if version is None:
        return Touched(record, None, (), None)
    kinds = {s.code: s for s in ShiftTypeRepository(session).all()}
    # The evening before: a night starting then runs into the first day.
    before = absence.start - dt.timedelta(days=1) if absence.start > dt.date.min else absence.start
    rows = ShiftAssignmentRepository(session).between([version.id], before, absence.end)
    mine = [
        a
        for _, a in rows
        if a.person_id == absence.person_id
        and kinds[a.shift_code].kind is not ShiftKind.OFF
        and any(absence.covers(d) for d in touched_days(a.date, kinds[a.shift_code]))
    ]
    slots = tuple(Slot(record.person_code, a.date, a.shift_code) for a in mine)
    return Touched(record, version, slots, _range(version, absence, slots))


def _range(
    version: ScheduleVersion, absence: Absence, slots: tuple[Slot, ...]
) -> tuple[dt.date, dt.date] | None:
    """The absence's days (from the night before when one runs into them) with a margin on
    either side, clipped to the published schedule's days; None when the person holds
    nothing there."""
    if not slots or version.first_day is None or version.last_day is None:
        return None
    first = max(min(absence.start, *(s.day for s in slots)), version.first_day)
    last = min(absence.end, version.last_day)
    if first > last:
        return None
    # Clipped first, so the margin stays among real dates (never past date.min or date.max).
    margin = dt.timedelta(days=REPAIR_MARGIN_DAYS)
    return max(first - margin, version.first_day), min(last + margin, version.last_day)


def person_codes(session: Session, ids: set[int]) -> dict[int, str]:
    return dict(
        session.execute(select(PersonRow.id, PersonRow.code).where(PersonRow.id.in_(ids))).all()
    )
