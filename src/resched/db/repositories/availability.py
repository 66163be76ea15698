"""Absences (requests and logged work get their repositories with their services)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from resched.core.model import Absence, AbsenceStatus
from resched.db.mappers import absence_from_row, fill_absence_row
from resched.db.records import Page
from resched.db.repositories.base import paginate
from resched.db.tables import AbsenceRow


class AbsenceRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, absence_id: int) -> Absence | None:
        row = self.session.get(AbsenceRow, absence_id)
        return None if row is None else absence_from_row(row)

    def add(self, absence: Absence) -> Absence:
        row = fill_absence_row(AbsenceRow(), absence)
        self.session.add(row)
        self.session.flush()
        return absence_from_row(row)

    def replace(self, absence_id: int, absence: Absence) -> Absence | None:
        row = self.session.get(AbsenceRow, absence_id)
        if row is None:
            return None
        fill_absence_row(row, absence)
        self.session.flush()
        return absence_from_row(row)

    def delete(self, absence_id: int) -> bool:
        row = self.session.get(AbsenceRow, absence_id)
        if row is None:
            return False
        self.session.delete(row)
        self.session.flush()
        return True

    def list_page(
        self,
        *,
        limit: int,
        offset: int,
        person_id: int | None = None,
        status: AbsenceStatus | None = None,
        overlapping: tuple[dt.date, dt.date] | None = None,
    ) -> Page[Absence]:
        where: list[ColumnElement[bool]] = []
        if person_id is not None:
            where.append(AbsenceRow.person_id == person_id)
        if status is not None:
            where.append(AbsenceRow.status == status)
        if overlapping is not None:
            start, end = overlapping
            where.extend((AbsenceRow.start_date <= end, AbsenceRow.end_date >= start))
        return paginate(
            self.session,
            AbsenceRow,
            where=where,
            order_by=(AbsenceRow.start_date, AbsenceRow.id),
            limit=limit,
            offset=offset,
            convert=absence_from_row,
        )
