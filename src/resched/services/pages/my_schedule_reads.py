"""The reads of the My schedule page: one person's published shifts, plan, absences, logged
work and requests over a few date spans, each a single statement whatever their number.

"Published" is per day: a day's record is the published version of the academic year holding
it (as the Today page and the validator's look-back read it), so a span across the first of
July reads each side from its own year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from resched.core.model import (
    Absence,
    AcademicYear,
    Assignment,
    LoggedWork,
    Person,
    Request,
    Rotation,
)
from resched.db.mappers.availability import absence_from_row, logged_work_from_row
from resched.db.mappers.people import person_from_row
from resched.db.repositories.requests import RequestRepository
from resched.db.tables import (
    AbsenceRow,
    PersonRow,
    PersonYearRow,
    ShiftAssignmentRow,
    ShiftTypeRow,
)
from resched.db.tables.availability import LoggedWorkRow
from resched.services.plan_spans import planned_spans

Span = tuple[dt.date, dt.date]  # first and last local date, inclusive
REQUESTS_SHOWN = 20


@dataclass(frozen=True, slots=True)
class RotationSpan:
    """The person's rotation on ``first``..``last`` (a block, or half of one)."""

    first: dt.date
    last: dt.date
    rotation: Rotation
    block: int


def record_spans(years: Sequence[AcademicYear], published: Mapping[int, int]) -> dict[int, Span]:
    """Published version id -> the dates of its academic year (the days it is the record of)."""
    return {
        published[y.id]: (y.start, y.end) for y in years if y.id is not None and y.id in published
    }


def read_person(session: Session, person_id: int, year_id: int | None) -> Person | None:
    """The person with their PGY level in ``year_id`` (one statement)."""
    stmt = (
        select(PersonRow, PersonYearRow.pgy)
        .outerjoin(
            PersonYearRow,
            (PersonYearRow.person_id == PersonRow.id)
            & (PersonYearRow.academic_year_id == (year_id or 0)),
        )
        .where(PersonRow.id == person_id)
    )
    found = session.execute(stmt).first()
    return None if found is None else person_from_row(found[0], found[1])


def read_shifts(
    session: Session, person_id: int, records: Mapping[int, Span], spans: Sequence[Span]
) -> list[Assignment]:
    """The person's published assignments on the days of ``spans``, each day from its record,
    by date then shift code."""
    if not records or not spans:
        return []
    stmt = (
        select(
            ShiftAssignmentRow.version_id,
            ShiftAssignmentRow.id,
            ShiftAssignmentRow.day,
            ShiftTypeRow.code,
            ShiftAssignmentRow.source,
            ShiftAssignmentRow.locked,
        )
        .join(ShiftTypeRow, ShiftTypeRow.id == ShiftAssignmentRow.shift_type_id)
        .where(
            ShiftAssignmentRow.person_id == person_id,
            ShiftAssignmentRow.version_id.in_(list(records)),
            or_(*(ShiftAssignmentRow.day.between(a, b) for a, b in spans)),
        )
        .order_by(ShiftAssignmentRow.day, ShiftTypeRow.code)
    )
    found = []
    for version_id, row_id, day, code, source, locked in session.execute(stmt):
        first, last = records[version_id]
        if first <= day <= last:
            found.append(Assignment(person_id, day, code, source, locked, id=row_id))
    return found


def read_absences(session: Session, person_id: int, spans: Sequence[Span]) -> list[Absence]:
    """Every absence of the person touching one of ``spans``, whatever its status."""
    stmt = (
        select(AbsenceRow)
        .where(
            AbsenceRow.person_id == person_id,
            or_(*(and_(AbsenceRow.start_date <= b, AbsenceRow.end_date >= a) for a, b in spans)),
        )
        .order_by(AbsenceRow.start_date, AbsenceRow.id)
    )
    return [absence_from_row(row) for row in session.scalars(stmt)]


def read_logged_work(session: Session, person_id: int, span: Span) -> list[LoggedWork]:
    """The person's logged work (moonlighting, calls from home) overlapping ``span``'s days."""
    start = dt.datetime.combine(span[0], dt.time())
    end = dt.datetime.combine(span[1] + dt.timedelta(days=1), dt.time())
    stmt = (
        select(LoggedWorkRow)
        .where(
            LoggedWorkRow.person_id == person_id,
            LoggedWorkRow.start_at < end,
            LoggedWorkRow.end_at > start,
        )
        .order_by(LoggedWorkRow.start_at, LoggedWorkRow.id)
    )
    return [logged_work_from_row(row) for row in session.scalars(stmt)]


def read_plan(
    session: Session, person_id: int, records: Mapping[int, Span], span: Span
) -> list[RotationSpan]:
    """The person's rotations in the published plans over ``span``, a half block its half."""
    return [
        RotationSpan(s.first, s.last, s.rotation, s.block_number)
        for s in planned_spans(session, list(records), span[0], span[1], person_id=person_id)
    ]


def read_requests(session: Session, person_id: int, since: dt.date) -> tuple[Request, ...]:
    """The person's requests about ``since`` or later, by start date (a bounded page)."""
    page = RequestRepository(session).list_page(
        limit=REQUESTS_SHOWN,
        offset=0,
        person_id=person_id,
        overlapping=(since, dt.date.max),
    )
    return tuple(page.items)
