"""Schedule versions, their shift assignments, and the person data a stored schedule is checked
with (approved absences, logged work).

Every method runs a fixed number of queries whatever the row count: lists are one aggregate
query per page, loads one query per kind of row, and assignments are read as plain columns
(a year holds tens of thousands; ORM entities would triple the time).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Row, func, insert, select
from sqlalchemy.orm import Session

from resched.core.model import (
    Absence,
    AbsenceStatus,
    Assignment,
    LoggedWork,
    ScheduleStatus,
)
from resched.db.mappers import absence_from_row, logged_work_from_row
from resched.db.records import Page
from resched.db.tables import (
    AbsenceRow,
    AcademicYearRow,
    LoggedWorkRow,
    ScheduleVersionRow,
    ShiftAssignmentRow,
    ShiftTypeRow,
)


@dataclass(frozen=True, slots=True)
class ScheduleVersion:
    """A stored schedule version with its academic year's label and what it holds: the number
    of shift assignments and their first and last dates (None when it holds none)."""

    id: int
    academic_year_id: int
    academic_year_label: str
    status: ScheduleStatus
    label: str
    created_at: dt.datetime
    published_at: dt.datetime | None
    assignments: int = 0
    first_day: dt.date | None = None
    last_day: dt.date | None = None
    revision: int = 0  # raised by every change set (services/changes)


@dataclass(frozen=True, slots=True)
class Published:
    """A version that is or was its academic year's record, and when it became so."""

    academic_year_id: int
    version_id: int
    status: ScheduleStatus
    at: dt.datetime


type _Span = tuple[int, dt.date | None, dt.date | None]


class ScheduleVersionRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, version_id: int) -> ScheduleVersion | None:
        stmt = (
            select(ScheduleVersionRow, AcademicYearRow.label)
            .join(AcademicYearRow, AcademicYearRow.id == ScheduleVersionRow.academic_year_id)
            .where(ScheduleVersionRow.id == version_id)
        )
        found = self.session.execute(stmt).first()
        if found is None:
            return None
        return self._versions([found])[0]

    def list_page(
        self,
        *,
        limit: int,
        offset: int,
        academic_year_id: int | None = None,
        status: ScheduleStatus | None = None,
        include_drafts: bool = True,
    ) -> Page[ScheduleVersion]:
        """Newest first (by id): the draft just imported or generated leads the list."""
        where: list[ColumnElement[bool]] = []
        if not include_drafts:
            where.append(ScheduleVersionRow.status != ScheduleStatus.DRAFT)
        if academic_year_id is not None:
            where.append(ScheduleVersionRow.academic_year_id == academic_year_id)
        if status is not None:
            where.append(ScheduleVersionRow.status == status)
        total = self.session.scalar(
            select(func.count()).select_from(ScheduleVersionRow).where(*where)
        )
        stmt = (
            select(ScheduleVersionRow, AcademicYearRow.label)
            .join(AcademicYearRow, AcademicYearRow.id == ScheduleVersionRow.academic_year_id)
            .where(*where)
            .order_by(ScheduleVersionRow.id.desc())
            .limit(limit)
            .offset(offset)
        )
        items = self._versions(self.session.execute(stmt).all())
        return Page(items=tuple(items), total=total or 0, limit=limit, offset=offset)

    def _versions(self, rows: Sequence[Row[ScheduleVersionRow, str]]) -> list[ScheduleVersion]:
        spans = self._spans([row.id for row, _ in rows])
        return [_version(row, label, spans.get(row.id, (0, None, None))) for row, label in rows]

    def _spans(self, version_ids: list[int]) -> dict[int, _Span]:
        if not version_ids:
            return {}
        stmt = (
            select(
                ShiftAssignmentRow.version_id,
                func.count(),
                func.min(ShiftAssignmentRow.day),
                func.max(ShiftAssignmentRow.day),
            )
            .where(ShiftAssignmentRow.version_id.in_(version_ids))
            .group_by(ShiftAssignmentRow.version_id)
        )
        return {vid: (count, first, last) for vid, count, first, last in self.session.execute(stmt)}

    def add(self, *, academic_year_id: int, label: str, status: ScheduleStatus) -> int:
        row = ScheduleVersionRow(academic_year_id=academic_year_id, label=label, status=status)
        self.session.add(row)
        self.session.flush()
        return row.id

    def default_id(self, *, include_drafts: bool = True) -> int | None:
        """The version shown when none is asked for: the most recently published one, else the
        newest one that is not archived (or, without drafts, none)."""
        published = self.session.scalar(
            select(ScheduleVersionRow.id)
            .where(ScheduleVersionRow.status == ScheduleStatus.PUBLISHED)
            .order_by(_published_when().desc(), ScheduleVersionRow.id.desc())
            .limit(1)
        )
        if published is not None or not include_drafts:
            return published
        return self.session.scalar(
            select(ScheduleVersionRow.id)
            .where(ScheduleVersionRow.status != ScheduleStatus.ARCHIVED)
            .order_by(ScheduleVersionRow.id.desc())
            .limit(1)
        )

    def published_by_year(self) -> dict[int, int]:
        """Academic year id -> its most recently published version: the record of that year."""
        stmt = (
            select(ScheduleVersionRow.academic_year_id, ScheduleVersionRow.id)
            .where(ScheduleVersionRow.status == ScheduleStatus.PUBLISHED)
            .order_by(_published_when(), ScheduleVersionRow.id)
        )
        # Later rows overwrite earlier ones: the last published wins.
        return dict(self.session.execute(stmt).all())

    def publication_history(self) -> list[Published]:
        """Every version that is or was a year's record - the published ones and those archived
        when a later one replaced them - in publishing order (that of ``published_by_year``)."""
        stmt = (
            select(
                ScheduleVersionRow.academic_year_id,
                ScheduleVersionRow.id,
                ScheduleVersionRow.status,
                _published_when(),
            )
            .where(
                (ScheduleVersionRow.status == ScheduleStatus.PUBLISHED)
                | (
                    (ScheduleVersionRow.status == ScheduleStatus.ARCHIVED)
                    & ScheduleVersionRow.published_at.is_not(None)
                )
            )
            .order_by(_published_when(), ScheduleVersionRow.id)
        )
        return [Published(y, v, s, at) for y, v, s, at in self.session.execute(stmt)]


def _published_when() -> ColumnElement[dt.datetime]:
    # A published row should carry its time; if one does not, its creation stands in, so the
    # order is the same on SQLite (NULLs first) and PostgreSQL (NULLs last).
    return func.coalesce(ScheduleVersionRow.published_at, ScheduleVersionRow.created_at)


def _version(row: ScheduleVersionRow, year_label: str, span: _Span) -> ScheduleVersion:
    count, first, last = span
    return ScheduleVersion(
        id=row.id,
        academic_year_id=row.academic_year_id,
        academic_year_label=year_label,
        status=row.status,
        label=row.label,
        created_at=row.created_at,
        published_at=row.published_at,
        assignments=count,
        first_day=first,
        last_day=last,
        revision=row.revision,
    )


class ShiftAssignmentRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def between(
        self, version_ids: Iterable[int], start: dt.date, end: dt.date
    ) -> list[tuple[int, Assignment]]:
        """(version id, assignment) of the versions on local dates ``start``..``end``, ordered
        by date, person and shift code so every read gives the same order."""
        ids = list(version_ids)
        if not ids:
            return []
        stmt = (
            select(
                ShiftAssignmentRow.version_id,
                ShiftAssignmentRow.id,
                ShiftAssignmentRow.person_id,
                ShiftAssignmentRow.day,
                ShiftTypeRow.code,
                ShiftAssignmentRow.source,
                ShiftAssignmentRow.locked,
            )
            .join(ShiftTypeRow, ShiftTypeRow.id == ShiftAssignmentRow.shift_type_id)
            .where(
                ShiftAssignmentRow.version_id.in_(ids),
                ShiftAssignmentRow.day >= start,
                ShiftAssignmentRow.day <= end,
            )
            .order_by(ShiftAssignmentRow.day, ShiftAssignmentRow.person_id, ShiftTypeRow.code)
        )
        return [
            (version_id, Assignment(person, day, code, source, locked, id=row_id))
            for version_id, row_id, person, day, code, source, locked in self.session.execute(stmt)
        ]

    def add_many(
        self, version_id: int, assignments: Iterable[Assignment], shift_ids: Mapping[str, int]
    ) -> int:
        """Insert in one executemany (SQLAlchemy batches it into multi-row INSERTs)."""
        rows = [
            {
                "version_id": version_id,
                "person_id": a.person_id,
                "day": a.date,
                "shift_type_id": shift_ids[a.shift_code],
                "source": a.source,
                "locked": a.locked,
            }
            for a in assignments
        ]
        if rows:
            self.session.execute(insert(ShiftAssignmentRow), rows)
        return len(rows)


def approved_absences_between(session: Session, start: dt.date, end: dt.date) -> list[Absence]:
    """Approved absences touching ``start``..``end``: the leave the rules leave out."""
    stmt = (
        select(AbsenceRow)
        .where(
            AbsenceRow.status == AbsenceStatus.APPROVED,
            AbsenceRow.start_date <= end,
            AbsenceRow.end_date >= start,
        )
        .order_by(AbsenceRow.person_id, AbsenceRow.start_date, AbsenceRow.id)
    )
    return [absence_from_row(row) for row in session.scalars(stmt)]


def logged_work_between(session: Session, start: dt.datetime, end: dt.datetime) -> list[LoggedWork]:
    """Logged work overlapping the local times [start, end)."""
    stmt = (
        select(LoggedWorkRow)
        .where(LoggedWorkRow.start_at < end, LoggedWorkRow.end_at > start)
        .order_by(LoggedWorkRow.person_id, LoggedWorkRow.start_at, LoggedWorkRow.id)
    )
    return [logged_work_from_row(row) for row in session.scalars(stmt)]
