"""Absences (requests and logged work get their repositories with their services)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement

from resched.core.model import Absence, AbsenceStatus
from resched.db.mappers import absence_from_row, fill_absence_row
from resched.db.records import Page
from resched.db.repositories.base import RowRepository, paginate
from resched.db.tables import AbsenceRow


class AbsenceRepository(RowRepository[Absence, AbsenceRow]):
    row_type = AbsenceRow

    def to_core(self, row: AbsenceRow) -> Absence:
        return absence_from_row(row)

    def fill(self, row: AbsenceRow, item: Absence) -> AbsenceRow:
        return fill_absence_row(row, item)

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
