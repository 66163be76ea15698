"""The program settings row and the academic years with their blocks and holidays."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from resched.core.model import AcademicYear, Program
from resched.db.mappers import (
    academic_year_from_row,
    fill_academic_year_row,
    fill_program_row,
    program_from_row,
)
from resched.db.tables import AcademicYearRow, ProgramRow

_YEAR_CHILDREN = (selectinload(AcademicYearRow.blocks), selectinload(AcademicYearRow.holidays))


class ProgramRepository:
    """One database holds one program: the first row is the program."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _row(self) -> ProgramRow | None:
        return self.session.scalars(select(ProgramRow).order_by(ProgramRow.id).limit(1)).first()

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
