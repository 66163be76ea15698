"""Programs to start a next year from: a small pediatrics-like program built here (calendar-month
blocks, US federal holidays, three PGY levels, a coverage rule tied to dates of its year), or
the demo; each with a published schedule whose export and validation report are the "record"
a rollover must leave byte for byte."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from resched.core.model import (
    Assignment,
    BlockScheme,
    BlockSchemeKind,
    Program,
    Role,
    ScheduleStatus,
    ShiftKind,
    YearlyRequirement,
)
from resched.db.repositories import PeopleRepository, ShiftTypeRepository
from resched.db.repositories.schedule import ScheduleVersionRepository, ShiftAssignmentRepository
from resched.db.tables import (
    AcademicYearRow,
    AuditEventRow,
    HolidayRow,
    PersonRow,
    PersonYearRow,
)
from resched.services import academic_years, calendar, coverage, people, rotations, shift_types
from resched.services.demo import load_demo
from resched.services.schedules import check_schedule, export_schedule
from tests import builders

PEDS_RESIDENTS = (
    ("ped1a", 1),
    ("ped1b", 1),
    ("ped2a", 2),
    ("ped2b", 2),
    ("ped3a", 3),
    ("ped3b", 3),
)


@dataclass(frozen=True)
class Stored:
    year_id: int
    version_id: int


def peds_program(factory: sessionmaker[Session]) -> Stored:
    """Valley Pediatrics, 2026-27 in calendar months with the federal holidays; PGY 1-3."""
    calendar.save_program(
        factory=factory, program=Program(name="Valley Pediatrics", timezone="America/Denver")
    )
    year = academic_years.create_academic_year(
        factory=factory,
        label="2026-27",
        start=dt.date(2026, 7, 1),
        end=None,
        scheme=BlockScheme(BlockSchemeKind.MONTHLY),
        us_federal_holidays=True,
    )
    assert year.id is not None
    for code, kind, start in (("WARD", ShiftKind.WORK, 7), ("NF", ShiftKind.NIGHT_FLOAT, 19)):
        shift = builders.shift_type(code, kind=kind, start=dt.time(start), minutes=720)
        shift_types.create_shift_type(factory=factory, shift_type=shift)
    ward = builders.rotation("PWARD", "WARD", requirements=(YearlyRequirement(3, 0, 2),))
    rotations.create_rotation(factory=factory, rotation=ward)
    coverage.create_coverage_requirement(
        factory=factory,
        coverage=builders.coverage_rule(
            "WARD", name="Thanksgiving ward", dates=frozenset({dt.date(2026, 11, 26)})
        ),
    )
    for code, pgy in PEDS_RESIDENTS:
        people.create_person(factory=factory, profile=builders.resident(code, year.id, pgy))
    people.create_person(factory=factory, profile=builders.faculty("pedf1"))
    return Stored(year.id, publish_a_fortnight(factory, year.id))


def demo_program(factory: sessionmaker[Session]) -> Stored:
    load_demo(factory=factory)
    with factory() as session:
        year_id = session.scalars(select(AcademicYearRow.id)).one()
    return Stored(year_id, publish_a_fortnight(factory, year_id))


def publish_a_fortnight(factory: sessionmaker[Session], year_id: int) -> int:
    """A published version: every resident of the year on the first work shift type on the
    weekdays of the year's first two weeks, and each faculty member on its first Monday."""
    with factory() as session, session.begin():
        start = session.get_one(AcademicYearRow, year_id).start_date
        shifts = ShiftTypeRepository(session)
        work = next(s.code for s in shifts.all() if s.kind is ShiftKind.WORK)
        everyone = PeopleRepository(session).in_year(year_id)
        days = [start + dt.timedelta(days=n) for n in range(14)]
        weekdays = [d for d in days if d.isoweekday() <= 5]
        assignments = [
            Assignment(p.id, day, work)
            for p in everyone
            if p.role is Role.RESIDENT and p.pgy is not None
            for day in weekdays
        ]
        assignments += [
            Assignment(p.id, weekdays[0], work) for p in everyone if p.role is Role.FACULTY
        ]
        versions = ScheduleVersionRepository(session)
        version_id = versions.add(
            academic_year_id=year_id, label="published", status=ScheduleStatus.PUBLISHED
        )
        ShiftAssignmentRepository(session).add_many(version_id, assignments, shifts.ids_by_code())
        return version_id


def record_of(factory: sessionmaker[Session], version_id: int) -> tuple[bytes, bytes]:
    """The published version's export and validation report, as the bytes a file would hold."""
    document = export_schedule(factory=factory, version_id=version_id)
    report = check_schedule(factory=factory, version_id=version_id).report()

    def text(value: object) -> bytes:
        return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode()

    return text(document), text(report)


def row_counts(factory: sessionmaker[Session]) -> dict[str, int]:
    """What a refused rollover must leave as it was."""
    tables = (AcademicYearRow, HolidayRow, PersonRow, PersonYearRow, AuditEventRow)
    with factory() as session:
        return {
            t.__tablename__: session.scalar(select(func.count()).select_from(t)) or 0
            for t in tables
        }


def levels_in(factory: sessionmaker[Session], year_id: int) -> dict[str, int]:
    with factory() as session:
        rows = session.execute(
            select(PersonRow.code, PersonYearRow.pgy)
            .join(PersonYearRow)
            .where(PersonYearRow.academic_year_id == year_id)
        )
        return dict(rows.all())
