"""What a leave request touches: the published version over its days and the person's shifts
there, a night that starts the evening before and runs into the first day included."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from resched.core.errors import NotFound
from resched.core.model import (
    Absence,
    AcademicYear,
    Assignment,
    ShiftKind,
    ShiftType,
)
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
    session: Session, *where: ColumnElement[bool], limit: int = 200, oldest_first: bool = False
) -> list[LeaveRecord]:
    """Absences with their person and decision, in one query, latest start first (or earliest,
    for the approval queue)."""
    order = (AbsenceRow.start_date, AbsenceRow.id)
    rows = session.execute(
        select(AbsenceRow, PersonRow.code, PersonRow.name)
        .join(PersonRow, PersonRow.id == AbsenceRow.person_id)
        .where(*where)
        .order_by(*(order if oldest_first else (c.desc() for c in order)))
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


def _published_id(
    published: dict[int, int], years: Sequence[AcademicYear], start: dt.date, end: dt.date
) -> int | None:
    """The published version of the academic year holding ``start`` (else any year the days
    touch)."""
    over = [y for y in years if y.start <= end and start <= y.end]
    over.sort(key=lambda y: (not y.start <= start <= y.end, y.start))
    return next((published[y.id] for y in over if y.id in published), None)


def published_over(session: Session, start: dt.date, end: dt.date) -> ScheduleVersion | None:
    published = ScheduleVersionRepository(session).published_by_year()
    found = _published_id(published, AcademicYearRepository(session).all(), start, end)
    return None if found is None else ScheduleVersionRepository(session).get(found)


def touched_in(session: Session, absence_id: int) -> Touched:
    """The shifts the absence touches on the published version (OFF days are not work)."""
    return touched_by(session, [load_record(session, absence_id)])[0]


def touched_by(session: Session, records: Sequence[LeaveRecord]) -> list[Touched]:
    """``touched_in`` for many absences (the approval queue) in a fixed number of reads: the
    years, the published versions and the shift types once, and each published version's
    shifts once over all the absences' days (one read per absence made the queue run ten
    statements per request)."""
    if not records:
        return []
    versions = ScheduleVersionRepository(session)
    published = versions.published_by_year()
    years = AcademicYearRepository(session).all()
    chosen = [_published_id(published, years, r.absence.start, r.absence.end) for r in records]
    found = {v: versions.get(v) for v in set(chosen) if v is not None}
    kinds = {s.code: s for s in ShiftTypeRepository(session).all()}
    shifts: dict[int, list[Assignment]] = {}
    for version_id in found:
        mine = [r.absence for r, c in zip(records, chosen, strict=True) if c == version_id]
        first = min(_evening_before(a.start) for a in mine)
        last = max(a.end for a in mine)
        shifts[version_id] = [
            a for _, a in ShiftAssignmentRepository(session).between([version_id], first, last)
        ]
    return [
        _touched(r, found.get(c) if c is not None else None, kinds, shifts.get(c or 0, []))
        for r, c in zip(records, chosen, strict=True)
    ]


def _evening_before(day: dt.date) -> dt.date:
    # A night starting the evening before runs into the first day.
    return day - dt.timedelta(days=1) if day > dt.date.min else day


def _touched(
    record: LeaveRecord,
    version: ScheduleVersion | None,
    kinds: dict[str, ShiftType],
    shifts: Sequence[Assignment],
) -> Touched:
    absence = record.absence
    if version is None:
        return Touched(record, None, (), None)
    before = _evening_before(absence.start)
    mine = [
        a
        for a in shifts
        if a.person_id == absence.person_id
        and before <= a.date <= absence.end
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
