"""Absences (requests and logged work get their repositories with their services)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import ColumnElement, select

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

    def of_people(self, person_ids: Iterable[int]) -> list[Absence]:
        """Every absence of these people (chunked IN lists), by person and start."""
        wanted = sorted(set(person_ids))
        found: list[Absence] = []
        for start in range(0, len(wanted), 500):
            stmt = (
                select(AbsenceRow)
                .where(AbsenceRow.person_id.in_(wanted[start : start + 500]))
                .order_by(AbsenceRow.person_id, AbsenceRow.start_date, AbsenceRow.id)
            )
            found.extend(absence_from_row(row) for row in self.session.scalars(stmt))
        return found
