"""The program settings row and the academic years with their blocks and holidays."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from resched.core.model import AcademicYear, Holiday, Program, ScheduleStatus
from resched.db.mappers import (
    academic_year_from_row,
    fill_academic_year_row,
    fill_program_row,
    program_from_row,
)
from resched.db.tables import AcademicYearRow, HolidayRow, ProgramRow, ScheduleVersionRow

_YEAR_CHILDREN = (selectinload(AcademicYearRow.blocks), selectinload(AcademicYearRow.holidays))


class ProgramRepository:
    """One database holds one program: the first row is the program."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _row(self) -> ProgramRow | None:
        return self.session.scalars(select(ProgramRow).order_by(ProgramRow.id).limit(1)).first()

    def time_zone(self) -> str | None:
        """The program's IANA zone name alone (None before a program is set up): every page
        that shows an instant reads it, so it is one narrow statement."""
        query = select(ProgramRow.timezone).order_by(ProgramRow.id).limit(1)
        return self.session.scalars(query).first()

    def get(self) -> Program | None:
        row = self._row()
        return None if row is None else program_from_row(row)

    def save(self, program: Program) -> Program:
        row = self._row() or ProgramRow()
        fill_program_row(row, program)
        self.session.add(row)
        self.session.flush()
        return program_from_row(row)


class AcademicYearRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, academic_year_id: int) -> AcademicYear | None:
        row = self.session.get(AcademicYearRow, academic_year_id, options=_YEAR_CHILDREN)
        return None if row is None else academic_year_from_row(row)

    def add(self, year: AcademicYear) -> AcademicYear:
        row = fill_academic_year_row(AcademicYearRow(blocks=[], holidays=[]), year)
        self.session.add(row)
        self.session.flush()
        return academic_year_from_row(row)

    def all(self) -> list[AcademicYear]:
        stmt = select(AcademicYearRow).options(*_YEAR_CHILDREN).order_by(AcademicYearRow.start_date)
        return [academic_year_from_row(row) for row in self.session.scalars(stmt)]

    def existing_ids(self, ids: set[int]) -> set[int]:
        if not ids:
            return set()
        stmt = select(AcademicYearRow.id).where(AcademicYearRow.id.in_(ids))
        return set(self.session.scalars(stmt))

    def get_by_label(self, label: str) -> AcademicYear | None:
        stmt = (
            select(AcademicYearRow).options(*_YEAR_CHILDREN).where(AcademicYearRow.label == label)
        )
        row = self.session.scalars(stmt).first()
        return None if row is None else academic_year_from_row(row)

    def overlapping(self, start: dt.date, end: dt.date) -> list[AcademicYear]:
        """Years sharing at least one day with ``start``..``end``."""
        stmt = (
            select(AcademicYearRow)
            .options(*_YEAR_CHILDREN)
            .where(AcademicYearRow.start_date <= end, AcademicYearRow.end_date >= start)
            .order_by(AcademicYearRow.start_date)
        )
        return [academic_year_from_row(row) for row in self.session.scalars(stmt)]

    def holidays(self, academic_year_id: int) -> list[Holiday]:
        stmt = (
            select(HolidayRow)
            .where(HolidayRow.academic_year_id == academic_year_id)
            .order_by(HolidayRow.day)
        )
        return [Holiday(day=r.day, name=r.name, id=r.id) for r in self.session.scalars(stmt)]

    def add_holidays(self, academic_year_id: int, holidays: Iterable[Holiday]) -> None:
        # Through the year's collection, so a year read later in this session has them.
        row = self.session.get(AcademicYearRow, academic_year_id, options=_YEAR_CHILDREN)
        assert row is not None
        row.holidays.extend(HolidayRow(day=h.day, name=h.name) for h in holidays)
        self.session.flush()

    def remove_holiday(self, academic_year_id: int, holiday_id: int) -> Holiday | None:
        row = self.session.get(HolidayRow, holiday_id)
        if row is None or row.academic_year_id != academic_year_id:
            return None
        removed = Holiday(day=row.day, name=row.name, id=row.id)
        year = self.session.get(AcademicYearRow, academic_year_id, options=_YEAR_CHILDREN)
        assert year is not None
        year.holidays.remove(row)  # delete-orphan
        self.session.flush()
        return removed

    def schedule_versions_by_status(self, academic_year_id: int) -> dict[ScheduleStatus, int]:
        """How many schedule versions of the year there are, per status."""
        stmt = (
            select(ScheduleVersionRow.status, func.count())
            .where(ScheduleVersionRow.academic_year_id == academic_year_id)
            .group_by(ScheduleVersionRow.status)
        )
        return {row[0]: row[1] for row in self.session.execute(stmt)}

    def delete(self, academic_year_id: int) -> None:
        row = self.session.get(AcademicYearRow, academic_year_id)
        if row is not None:
            self.session.delete(row)
            self.session.flush()
