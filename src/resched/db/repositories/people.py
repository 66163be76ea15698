"""People and their PGY level per academic year."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import ColumnElement, func, select, union
from sqlalchemy.orm import selectinload

from resched.core.model import Person, Role
from resched.db.mappers import fill_person_row, person_from_row, profile_from_row
from resched.db.records import Page, PersonProfile
from resched.db.repositories.base import RowRepository, paginate
from resched.db.tables import BlockAssignmentRow, PersonRow, PersonYearRow, ShiftAssignmentRow


class PeopleRepository(RowRepository[PersonProfile, PersonRow]):
    row_type = PersonRow
    load_options = (selectinload(PersonRow.years),)

    def to_core(self, row: PersonRow) -> PersonProfile:
        return profile_from_row(row)

    def fill(self, row: PersonRow, item: PersonProfile) -> PersonRow:
        return fill_person_row(row, item)

    def new_row(self) -> PersonRow:
        return PersonRow(years=[])

    def list_page(
        self,
        *,
        limit: int,
        offset: int,
        role: Role | None = None,
        active: bool | None = None,
        academic_year_id: int | None = None,
        pgy: int | None = None,
    ) -> Page[PersonProfile]:
        where: list[ColumnElement[bool]] = []
        if role is not None:
            where.append(PersonRow.role == role)
        if active is not None:
            where.append(PersonRow.active.is_(active))
        if academic_year_id is not None:
            in_year = PersonYearRow.academic_year_id == academic_year_id
            if pgy is not None:
                in_year = in_year & (PersonYearRow.pgy == pgy)
            where.append(PersonRow.years.any(in_year))
        return paginate(
            self.session,
            PersonRow,
            where=where,
            order_by=(PersonRow.code, PersonRow.id),
            options=(selectinload(PersonRow.years),),
            limit=limit,
            offset=offset,
            convert=profile_from_row,
        )

    def in_year(self, academic_year_id: int) -> list[Person]:
        """Everyone, with ``pgy`` set for this year where known: one query."""
        stmt = (
            select(PersonRow, PersonYearRow.pgy)
            .outerjoin(
                PersonYearRow,
                (PersonYearRow.person_id == PersonRow.id)
                & (PersonYearRow.academic_year_id == academic_year_id),
            )
            .order_by(PersonRow.code)
        )
        rows = self.session.execute(stmt)
        return [person_from_row(row, pgy) for row, pgy in rows]

    def existing_ids(self, person_ids: Iterable[int]) -> set[int]:
        wanted = set(person_ids)
        if not wanted:
            return set()
        return set(self.session.scalars(select(PersonRow.id).where(PersonRow.id.in_(wanted))))

    def set_year_levels(self, academic_year_id: int, levels: Mapping[int, int]) -> None:
        """Give each person (id -> PGY) a level in the year; none of them may have one yet."""
        self.session.add_all(
            PersonYearRow(person_id=person_id, academic_year_id=academic_year_id, pgy=pgy)
            for person_id, pgy in levels.items()
        )
        self.session.flush()

    def schedule_versions(self, person_id: int) -> int:
        """How many schedule versions (drafts included) hold an assignment of the person."""
        held = union(
            select(BlockAssignmentRow.version_id).where(BlockAssignmentRow.person_id == person_id),
            select(ShiftAssignmentRow.version_id).where(ShiftAssignmentRow.person_id == person_id),
        ).subquery()
        return self.session.scalar(select(func.count()).select_from(held)) or 0
