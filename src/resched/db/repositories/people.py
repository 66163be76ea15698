"""People and their PGY level per academic year."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import ColumnElement, func, or_, select, union
from sqlalchemy.orm import selectinload

from resched.core.model import Person, Role
from resched.db.mappers import fill_person_row, person_from_row, profile_from_row
from resched.db.records import Page, PersonProfile
from resched.db.repositories.base import RowRepository, paginate
from resched.db.tables import (
    AbsenceRow,
    BlockAssignmentRow,
    LoggedWorkRow,
    PersonRow,
    PersonYearRow,
    RequestRow,
    ScheduleChangeItemRow,
    ShiftAssignmentRow,
    SwapRequestRow,
    UserRow,
)


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

    def by_codes(self, codes: Iterable[str]) -> dict[str, PersonProfile]:
        """The people with these codes, by code (one query, chunked for long lists)."""
        wanted = sorted(set(codes))
        found: dict[str, PersonProfile] = {}
        for start in range(0, len(wanted), _CHUNK):
            stmt = (
                select(PersonRow)
                .options(selectinload(PersonRow.years))
                .where(PersonRow.code.in_(wanted[start : start + _CHUNK]))
            )
            found.update((row.code, profile_from_row(row)) for row in self.session.scalars(stmt))
        return found

    def references(self, person_id: int) -> dict[str, int]:
        """What refers to the person, counted by kind (only kinds with at least one): what
        deleting them would remove or be refused by."""
        counts: dict[str, int] = {}
        for label, condition in (
            ("block assignments", BlockAssignmentRow.person_id == person_id),
            ("shift assignments", ShiftAssignmentRow.person_id == person_id),
            ("schedule changes", ScheduleChangeItemRow.person_id == person_id),
            ("absences", AbsenceRow.person_id == person_id),
            ("requests", RequestRow.person_id == person_id),
            ("logged work", LoggedWorkRow.person_id == person_id),
            (
                "swap requests",
                or_(
                    SwapRequestRow.from_person_id == person_id,
                    SwapRequestRow.to_person_id == person_id,
                ),
            ),
            ("user accounts", UserRow.person_id == person_id),
        ):
            count = self.session.scalar(select(func.count()).where(condition)) or 0
            if count:
                counts[label] = count
        return counts


_CHUNK = 500  # codes per IN list: far below every driver's parameter limit
