"""People and their PGY level per academic year."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session, selectinload

from resched.core.model import Person, Role
from resched.db.mappers import fill_person_row, person_from_row, profile_from_row
from resched.db.records import Page, PersonProfile
from resched.db.repositories.base import paginate
from resched.db.tables import PersonRow, PersonYearRow


class PeopleRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _row(self, person_id: int) -> PersonRow | None:
        return self.session.get(PersonRow, person_id, options=[selectinload(PersonRow.years)])

    def get(self, person_id: int) -> PersonProfile | None:
        row = self._row(person_id)
        return None if row is None else profile_from_row(row)

    def add(self, profile: PersonProfile) -> PersonProfile:
        row = fill_person_row(PersonRow(years=[]), profile)
        self.session.add(row)
        self.session.flush()
        return profile_from_row(row)

    def replace(self, person_id: int, profile: PersonProfile) -> PersonProfile | None:
        row = self._row(person_id)
        if row is None:
            return None
        fill_person_row(row, profile)
        self.session.flush()
        return profile_from_row(row)

    def delete(self, person_id: int) -> bool:
        row = self.session.get(PersonRow, person_id)
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
        role: Role | None = None,
        active: bool | None = None,
        academic_year_id: int | None = None,
    ) -> Page[PersonProfile]:
        where: list[ColumnElement[bool]] = []
        if role is not None:
            where.append(PersonRow.role == role)
        if active is not None:
            where.append(PersonRow.active.is_(active))
        if academic_year_id is not None:
            where.append(PersonRow.years.any(PersonYearRow.academic_year_id == academic_year_id))
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
