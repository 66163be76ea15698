"""Small, valid core objects for the db/services/api tests, and a helper that stores a
program of a chosen size through the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from resched.core.model import (
    Absence,
    AbsenceType,
    AcademicYear,
    Block,
    BlockSchemeKind,
    Capacity,
    CoverageRequirement,
    Eligibility,
    Role,
    Rotation,
    ShiftKind,
    ShiftType,
    WeeklyQuota,
    YearlyRequirement,
)
from resched.db.records import PersonProfile
from resched.services import absences, calendar, coverage, people, rotations, shift_types

YEAR_START = dt.date(2026, 7, 1)


def academic_year(label: str = "2026-27", start: dt.date = YEAR_START) -> AcademicYear:
    blocks = tuple(
        Block(
            number=n,
            start=start + dt.timedelta(days=28 * (n - 1)),
            end=start + dt.timedelta(days=28 * n - 1),
            name=f"Block {n}",
        )
        for n in range(1, 14)
    )
    return AcademicYear(
        label=label,
        start=start,
        end=start.replace(year=start.year + 1) - dt.timedelta(days=1),
        scheme=BlockSchemeKind.FOUR_WEEK,
        blocks=blocks,
        holidays=(start + dt.timedelta(days=3),),
    )


def shift_type(code: str = "DAY", **changes: object) -> ShiftType:
    values: dict[str, object] = {
        "code": code,
        "name": f"Shift {code}",
        "start": dt.time(7, 0),
        "minutes": 600,
        "kind": ShiftKind.WORK,
    }
    values.update(changes)
    return ShiftType(**values)  # type: ignore[arg-type]


def rotation(code: str = "WARDS", shift_code: str = "DAY", **changes: object) -> Rotation:
    values: dict[str, object] = {
        "code": code,
        "name": f"Rotation {code}",
        "weekly_pattern": {1: (shift_code,), 2: (shift_code,)},
        "capacities": (Capacity(1, 3, 1, 4),),
        "requirements": (YearlyRequirement(1, 1, 2), YearlyRequirement(2, 0, 1)),
        "weekly_quotas": (WeeklyQuota((shift_code,), 0, 2),),
        "leave_eligible": True,
        "colour": "#1f77b4",
    }
    values.update(changes)
    return Rotation(**values)  # type: ignore[arg-type]


def coverage_rule(shift_code: str = "DAY", **changes: object) -> CoverageRequirement:
    values: dict[str, object] = {
        "shift_code": shift_code,
        "weekdays": frozenset({1, 2, 3, 4, 5}),
        "min_count": 1,
        "max_count": 3,
        "eligibility": Eligibility(roles=frozenset({Role.RESIDENT}), pgy_min=2),
        "name": "Day cover",
    }
    values.update(changes)
    return CoverageRequirement(**values)  # type: ignore[arg-type]


def resident(code: str = "r1", year_id: int | None = None, pgy: int = 1) -> PersonProfile:
    return PersonProfile(
        code=code,
        name=f"Resident {code}",
        role=Role.RESIDENT,
        email=f"{code}@example.org",
        credentials=frozenset({"BLS"}),
        pgy_by_year={} if year_id is None else {year_id: pgy},
    )


def faculty(code: str = "f1") -> PersonProfile:
    return PersonProfile(code=code, name=f"Doctor {code}", role=Role.FACULTY)


def absence(person_id: int, days: int = 5, **changes: object) -> Absence:
    values: dict[str, object] = {
        "person_id": person_id,
        "start": dt.date(2026, 8, 3),
        "end": dt.date(2026, 8, 3) + dt.timedelta(days=days - 1),
        "type": AbsenceType.VACATION,
        "note": "beach",
    }
    values.update(changes)
    return Absence(**values)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Program:
    year_id: int
    person_ids: tuple[int, ...]


def store_program(factory: sessionmaker[Session], size: int) -> Program:
    """A year plus ``size`` each of residents, shift types, rotations, coverage rules and
    absences."""
    year = calendar.store_academic_year(factory=factory, year=academic_year())
    assert year.id is not None
    return Program(year.id, store_program_more(factory, start=0, size=size, year_id=year.id))


def store_program_more(
    factory: sessionmaker[Session], *, start: int, size: int, year_id: int | None = None
) -> tuple[int, ...]:
    """``size`` more of everything, numbered from ``start``; returns the new people's ids."""
    person_ids = []
    for n in range(start, start + size):
        code = f"S{n:03d}"
        shift_types.create_shift_type(factory=factory, shift_type=shift_type(code))
        rotations.create_rotation(factory=factory, rotation=rotation(f"R{n:03d}", code))
        coverage.create_coverage_requirement(factory=factory, coverage=coverage_rule(code))
        profile = resident(f"p{n:03d}", year_id, 1 + n % 3)
        person = people.create_person(factory=factory, profile=profile)
        assert person.id is not None
        person_ids.append(person.id)
        absences.create_absence(factory=factory, absence=absence(person.id))
    return tuple(person_ids)
