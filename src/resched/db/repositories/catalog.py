"""Shift types, rotations (with capacities and requirements) and coverage requirements."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session, selectinload

from resched.core.model import CoverageRequirement, Rotation, ShiftType
from resched.db.mappers import (
    coverage_from_row,
    fill_coverage_row,
    fill_rotation_row,
    fill_shift_type_row,
    rotation_from_row,
    shift_type_from_row,
)
from resched.db.records import Page
from resched.db.repositories.base import RowRepository, paginate
from resched.db.tables import (
    BlockAssignmentRow,
    CoverageRequirementRow,
    RequestRow,
    RotationRow,
    ShiftAssignmentRow,
    ShiftTypeRow,
)

_ROTATION_CHILDREN = (selectinload(RotationRow.capacities), selectinload(RotationRow.requirements))


def _held(
    session: Session,
    key: ColumnElement[int],
    holders: tuple[tuple[str, InstrumentedAttribute[Any]], ...],
) -> list[str]:
    """ "84 shift assignments", "1 request": the rows whose column ``holders`` name refers to
    ``key`` (the foreign keys that RESTRICT a delete), counted, those with none left out."""
    found = []
    for noun, column in holders:
        count = session.scalar(select(func.count()).where(column == key)) or 0
        if count:
            found.append(f"{count} {noun}{'' if count == 1 else 's'}")
    return found


class ShiftTypeRepository(RowRepository[ShiftType, ShiftTypeRow]):
    row_type = ShiftTypeRow

    def to_core(self, row: ShiftTypeRow) -> ShiftType:
        return shift_type_from_row(row)

    def fill(self, row: ShiftTypeRow, item: ShiftType) -> ShiftTypeRow:
        return fill_shift_type_row(row, item)

    def list_page(self, *, limit: int, offset: int) -> Page[ShiftType]:
        return paginate(
            self.session,
            ShiftTypeRow,
            order_by=(ShiftTypeRow.code,),
            limit=limit,
            offset=offset,
            convert=shift_type_from_row,
        )

    def all(self) -> list[ShiftType]:
        rows = self.session.scalars(select(ShiftTypeRow).order_by(ShiftTypeRow.code))
        return [shift_type_from_row(row) for row in rows]

    def ids_by_code(self, codes: Iterable[str] | None = None) -> dict[str, int]:
        """Code -> id for the given codes (all if None); unknown codes are simply absent."""
        stmt = select(ShiftTypeRow.code, ShiftTypeRow.id)
        if codes is not None:
            stmt = stmt.where(ShiftTypeRow.code.in_(set(codes)))
        return dict(self.session.execute(stmt).all())

    def held_by(self, code: str) -> list[str]:
        """The schedules' shift assignments and the requests that name shift type ``code``."""
        key = select(ShiftTypeRow.id).where(ShiftTypeRow.code == code).scalar_subquery()
        holders = (
            ("shift assignment in schedules", ShiftAssignmentRow.shift_type_id),
            ("request", RequestRow.shift_type_id),
        )
        return _held(self.session, key, holders)


class RotationRepository(RowRepository[Rotation, RotationRow]):
    row_type = RotationRow
    load_options = _ROTATION_CHILDREN

    def to_core(self, row: RotationRow) -> Rotation:
        return rotation_from_row(row)

    def fill(self, row: RotationRow, item: Rotation) -> RotationRow:
        return fill_rotation_row(row, item)

    def new_row(self) -> RotationRow:
        return RotationRow(capacities=[], requirements=[])

    def list_page(self, *, limit: int, offset: int) -> Page[Rotation]:
        return paginate(
            self.session,
            RotationRow,
            order_by=(RotationRow.code,),
            options=_ROTATION_CHILDREN,
            limit=limit,
            offset=offset,
            convert=rotation_from_row,
        )

    def all(self) -> list[Rotation]:
        stmt = select(RotationRow).options(*_ROTATION_CHILDREN).order_by(RotationRow.code)
        return [rotation_from_row(row) for row in self.session.scalars(stmt)]

    def ids_by_code(self, codes: Iterable[str] | None = None) -> dict[str, int]:
        stmt = select(RotationRow.code, RotationRow.id)
        if codes is not None:
            stmt = stmt.where(RotationRow.code.in_(set(codes)))
        return dict(self.session.execute(stmt).all())

    def held_by(self, code: str) -> list[str]:
        """The rotation plans' cells and the requests that name rotation ``code``."""
        key = select(RotationRow.id).where(RotationRow.code == code).scalar_subquery()
        holders = (
            ("rotation plan cell", BlockAssignmentRow.rotation_id),
            ("request", RequestRow.rotation_id),
        )
        return _held(self.session, key, holders)


class CoverageRepository:
    """Coverage requirements; the shift type is joined in the same query (it gives the code)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, coverage_id: int) -> CoverageRequirement | None:
        row = self.session.get(CoverageRequirementRow, coverage_id)
        return None if row is None else coverage_from_row(row)

    def add(self, coverage: CoverageRequirement, shift_type_id: int) -> CoverageRequirement:
        (added,) = self.add_all([(coverage, shift_type_id)])
        return added

    def add_all(
        self, items: Sequence[tuple[CoverageRequirement, int]]
    ) -> list[CoverageRequirement]:
        """Rules with the id of their shift type, sent in one flush."""
        wanted = {shift_id for _, shift_id in items}
        shift_types = {
            row.id: row
            for row in self.session.scalars(select(ShiftTypeRow).where(ShiftTypeRow.id.in_(wanted)))
        }
        rows = [
            fill_coverage_row(CoverageRequirementRow(), coverage, shift_types[shift_id])
            for coverage, shift_id in items
        ]
        self.session.add_all(rows)
        self.session.flush()
        return [coverage_from_row(row) for row in rows]

    def replace(
        self, coverage_id: int, coverage: CoverageRequirement, shift_type_id: int
    ) -> CoverageRequirement | None:
        row = self.session.get(CoverageRequirementRow, coverage_id)
        if row is None:
            return None
        fill_coverage_row(row, coverage, self.session.get_one(ShiftTypeRow, shift_type_id))
        self.session.flush()
        return coverage_from_row(row)

    def delete(self, coverage_id: int) -> bool:
        row = self.session.get(CoverageRequirementRow, coverage_id)
        if row is None:
            return False
        self.session.delete(row)
        self.session.flush()
        return True

    def list_page(
        self, *, limit: int, offset: int, shift_type_id: int | None = None
    ) -> Page[CoverageRequirement]:
        where = (
            [] if shift_type_id is None else [CoverageRequirementRow.shift_type_id == shift_type_id]
        )
        return paginate(
            self.session,
            CoverageRequirementRow,
            where=where,
            order_by=(CoverageRequirementRow.id,),
            limit=limit,
            offset=offset,
            convert=coverage_from_row,
        )

    def all(self) -> list[CoverageRequirement]:
        stmt = select(CoverageRequirementRow).order_by(CoverageRequirementRow.id)
        return [coverage_from_row(row) for row in self.session.scalars(stmt)]
