"""Rotation plans to edit by hand (services, API and pages tests), on two programs of different
shapes: the demo (internal medicine, 13 four-week blocks, 36 residents) with a simple
round-robin plan, and a small pediatrics-like program (12 calendar months, half blocks, a
prerequisite, leave) with a plan that breaks no rule."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from resched.core.model import (
    Absence,
    AbsenceType,
    BlockAssignment,
    BlockScheme,
    BlockSchemeKind,
    Capacity,
    Program,
    Role,
    Rotation,
    ScheduleStatus,
    YearlyRequirement,
)
from resched.db.repositories import AcademicYearRepository, PeopleRepository, RotationRepository
from resched.db.repositories.generation import add_block_assignments, block_ids, set_status
from resched.db.repositories.schedule import ScheduleVersionRepository
from resched.db.types import utc_now
from resched.services import absences, academic_years, calendar, people, rotations
from resched.services.demo import load_demo
from tests import builders

Factory = sessionmaker[Session]


@dataclass(frozen=True)
class StoredPlan:
    year_id: int
    version_id: int
    residents: tuple[int, ...]  # by PGY level, then name (the API's order)
    plan: tuple[BlockAssignment, ...]


def store_plan(
    factory: Factory,
    year_id: int,
    cells: list[BlockAssignment],
    status: ScheduleStatus = ScheduleStatus.PUBLISHED,
) -> int:
    with factory.begin() as session:
        version_id = ScheduleVersionRepository(session).add(
            academic_year_id=year_id, label="hand plan", status=status
        )
        rotation_ids = RotationRepository(session).ids_by_code()
        add_block_assignments(session, version_id, cells, block_ids(session, year_id), rotation_ids)
        if status is ScheduleStatus.PUBLISHED:
            set_status(session, version_id, status, published_at=utc_now())
    return version_id


def _residents(factory: Factory, year_id: int) -> tuple[int, ...]:
    with factory() as session:
        found = PeopleRepository(session).in_year(year_id)
    chosen = [p for p in found if p.role is Role.RESIDENT and p.pgy is not None]
    return tuple(p.id for p in sorted(chosen, key=lambda p: (p.pgy or 0, p.name, p.id)))


def store_demo_plan(factory: Factory) -> StoredPlan:
    """The demo program with a published round-robin plan: resident i in block b on the
    rotation (i + b) mod 7 (it breaks rules; the edits' findings are differences)."""
    load_demo(factory=factory)
    with factory() as session:
        (year,) = AcademicYearRepository(session).all()
        codes = sorted(RotationRepository(session).ids_by_code())
    assert year.id is not None
    residents = _residents(factory, year.id)
    cells = [
        BlockAssignment(pid, b.number, codes[(i + b.number) % len(codes)])
        for i, pid in enumerate(residents)
        for b in year.blocks
    ]
    version_id = store_plan(factory, year.id, cells)
    return StoredPlan(year.id, version_id, residents, tuple(cells))


PEDS_PGYS = (1, 1, 2, 2, 3)


def _peds_rotation(
    code: str, places: tuple[int, int], yearly: tuple[int, int], **extra: object
) -> Rotation:
    return Rotation(
        code=code,
        name={"PW": "Pediatric Wards", "PICU": "PICU", "NURS": "Nursery", "CLIN": "Clinic"}[code],
        capacities=(Capacity(1, 3, *places),),
        requirements=tuple(YearlyRequirement(p, *yearly) for p in (1, 2, 3)),
        **extra,  # type: ignore[arg-type]
    )


# Every resident: 5 months of Wards, 2 of PICU (after Wards), 3 of Nursery, 2 of Clinic.
PEDS_ROTATIONS = (
    _peds_rotation("PW", (1, 3), (4, 6)),
    _peds_rotation("PICU", (0, 1), (1, 2), prerequisites=("PW",), not_adjacent_to=("PICU",)),
    _peds_rotation("NURS", (0, 2), (2, 4), leave_eligible=True, allows_half_block=True),
    _peds_rotation("CLIN", (0, 2), (1, 3), leave_eligible=True, allows_half_block=True),
)
# Resident i's year, shifted by i months; PICU never twice in a row and always after Wards.
PEDS_YEAR = ("PW", "PICU", "PW", "NURS", "PW", "CLIN", "PW", "PICU", "PW", "NURS", "NURS", "CLIN")


def store_peds(factory: Factory) -> StoredPlan:
    """The pediatrics-like program with a published plan that breaks no rule, and one
    approved week of leave for the first resident in month 4 (on Nursery)."""
    calendar.save_program(factory=factory, program=Program("Pediatrics", "America/New_York"))
    year = academic_years.create_academic_year(
        factory=factory,
        label="2026-27",
        start=dt.date(2026, 7, 1),
        end=None,
        scheme=BlockScheme(BlockSchemeKind.MONTHLY),
    )
    assert year.id is not None
    for rotation in PEDS_ROTATIONS:
        rotations.create_rotation(factory=factory, rotation=rotation)
    for n, pgy in enumerate(PEDS_PGYS, start=1):
        profile = dataclasses.replace(builders.resident(f"p{n}", year.id, pgy), name=f"Dr P{n}")
        people.create_person(factory=factory, profile=profile)
    residents = _residents(factory, year.id)
    cells = [
        BlockAssignment(pid, b.number, PEDS_YEAR[(b.number - 1 - i) % 12])
        for i, pid in enumerate(residents)
        for b in year.blocks
    ]
    leave = year.blocks[3].start + dt.timedelta(days=7)
    absences.create_absence(
        factory=factory,
        absence=Absence(residents[0], leave, leave + dt.timedelta(days=4), AbsenceType.VACATION),
    )
    version_id = store_plan(factory, year.id, cells)
    return StoredPlan(year.id, version_id, residents, tuple(cells))
