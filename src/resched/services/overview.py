"""The read model behind the program overview page: who is in the program this year (by PGY),
and what the program schedules (rotations, shift types, coverage rules).

A fixed number of queries whatever the size of the program (see tests/services/test_overview.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from resched.core.model import (
    AcademicYear,
    CoverageRequirement,
    Person,
    Program,
    Role,
    Rotation,
    ShiftType,
)
from resched.db.repositories import (
    AcademicYearRepository,
    CoverageRepository,
    PeopleRepository,
    ProgramRepository,
    RotationRepository,
    ShiftTypeRepository,
)
from resched.services.common import SessionFactory, not_found, read


@dataclass(frozen=True, slots=True)
class PgyGroup:
    pgy: int
    residents: tuple[Person, ...]


@dataclass(frozen=True, slots=True)
class ProgramOverview:
    program: Program | None
    academic_year: AcademicYear
    residents_by_pgy: tuple[PgyGroup, ...]
    # Residents with no level recorded for this year: shown so the coordinator can fix them.
    residents_without_pgy: tuple[Person, ...]
    faculty: tuple[Person, ...]
    rotations: tuple[Rotation, ...]
    shift_types: tuple[ShiftType, ...]
    coverage: tuple[CoverageRequirement, ...]


def get_program_overview(*, factory: SessionFactory, academic_year_id: int) -> ProgramOverview:
    with read(factory) as session:
        year = AcademicYearRepository(session).get(academic_year_id)
        if year is None:
            not_found("academic_year", academic_year_id)
        people = PeopleRepository(session).in_year(academic_year_id)
        return ProgramOverview(
            program=ProgramRepository(session).get(),
            academic_year=year,
            residents_by_pgy=_group_by_pgy(people),
            residents_without_pgy=tuple(
                p for p in people if p.role is Role.RESIDENT and p.pgy is None
            ),
            faculty=tuple(p for p in people if p.role is Role.FACULTY),
            rotations=tuple(RotationRepository(session).all()),
            shift_types=tuple(ShiftTypeRepository(session).all()),
            coverage=tuple(CoverageRepository(session).all()),
        )


def _group_by_pgy(people: list[Person]) -> tuple[PgyGroup, ...]:
    groups: defaultdict[int, list[Person]] = defaultdict(list)
    for person in people:
        if person.role is Role.RESIDENT and person.pgy is not None:
            groups[person.pgy].append(person)
    return tuple(PgyGroup(pgy, tuple(groups[pgy])) for pgy in sorted(groups))
