"""A tiny program for the generation tests (services, CLI, API, pages), stored through the
services: four residents, two rotations, one call a night. Small enough that a week of shifts
or a year's rotation plan solves in well under a second on two workers."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from resched.core.model import (
    Absence,
    AbsenceType,
    AcademicYear,
    Assignment,
    BlockAssignment,
    Capacity,
    CoverageRequirement,
    Eligibility,
    Program,
    Role,
    Rotation,
    ScheduleStatus,
    ShiftKind,
    YearlyRequirement,
)
from resched.db.repositories import RotationRepository, ShiftTypeRepository
from resched.db.repositories.generation import add_block_assignments, block_ids, set_status
from resched.db.repositories.schedule import ScheduleVersionRepository, ShiftAssignmentRepository
from resched.db.types import utc_now
from resched.services import absences, calendar, coverage, people, rotations, shift_types
from resched.services.generation import Limits
from tests import builders
from tests.solve_limits import SAFETY_S

Factory = sessionmaker[Session]
WEEK_START = dt.date(2026, 7, 6)  # a Monday in block 1 (Jul 1 - Jul 28)
WEEK_END = dt.date(2026, 7, 12)
# Searches here finish by themselves (optimal, or proven infeasible): the time limit is only
# a safety net (tests.solve_limits).
FAST = Limits(time_limit_s=SAFETY_S, seed=1, num_workers=2)
PGYS = (1, 1, 2, 3)


@dataclass(frozen=True)
class Tiny:
    year_id: int
    residents: tuple[int, ...]


def _rotation(code: str, minimum: int, yearly: tuple[int, int], leave: bool) -> Rotation:
    weekdays = dict.fromkeys(range(1, 6), ("DAY",)) if code == "WARDS" else {}
    return Rotation(
        code=code,
        name=code.title(),
        weekly_pattern=weekdays,
        capacities=(Capacity(1, 3, minimum, 4),),
        requirements=tuple(YearlyRequirement(p, *yearly) for p in (1, 2, 3)),
        leave_eligible=leave,
        colour="#1f77b4" if code == "WARDS" else "#ffdd57",
    )


def store_tiny(factory: Factory, year: AcademicYear | None = None) -> Tiny:
    """The tiny program in ``year`` (default: 13 four-week blocks from 2026-07-01)."""
    calendar.save_program(factory=factory, program=Program("Tiny IM", "America/Chicago"))
    year = calendar.store_academic_year(factory=factory, year=year or builders.academic_year())
    assert year.id is not None
    day = builders.shift_type("DAY", minutes=600)
    call = builders.shift_type(
        "CALL", minutes=1440, kind=ShiftKind.IN_HOUSE_CALL, transition_minutes=240
    )
    for shift in (day, call):
        shift_types.create_shift_type(factory=factory, shift_type=shift)
    rotations.create_rotation(factory=factory, rotation=_rotation("WARDS", 1, (6, 10), False))
    rotations.create_rotation(factory=factory, rotation=_rotation("ELEC", 0, (3, 7), True))
    night = CoverageRequirement(
        "CALL",
        frozenset(range(1, 8)),
        1,
        1,
        Eligibility(roles=frozenset({Role.RESIDENT})),
        name="Night call",
    )
    coverage.create_coverage_requirement(factory=factory, coverage=night)
    ids = []
    for n, pgy in enumerate(PGYS, start=1):
        profile = dataclasses.replace(builders.resident(f"r{n}", year.id, pgy), name=f"Dr R{n}")
        created = people.create_person(factory=factory, profile=profile)
        assert created.id is not None
        ids.append(created.id)
    return Tiny(year.id, tuple(ids))


def store_version(
    factory: Factory,
    tiny: Tiny,
    *,
    status: ScheduleStatus = ScheduleStatus.DRAFT,
    plan: Iterable[BlockAssignment] | None = None,
    shifts: Iterable[Assignment] = (),
    label: str = "stored",
) -> int:
    """A version written straight into the tables: by default everyone on WARDS all year."""
    cells = plan if plan is not None else everyone_on_wards(tiny)
    with factory.begin() as session:
        version_id = ScheduleVersionRepository(session).add(
            academic_year_id=tiny.year_id, label=label, status=status
        )
        rotation_ids = RotationRepository(session).ids_by_code()
        add_block_assignments(
            session, version_id, cells, block_ids(session, tiny.year_id), rotation_ids
        )
        shift_ids = ShiftTypeRepository(session).ids_by_code()
        ShiftAssignmentRepository(session).add_many(version_id, shifts, shift_ids)
        if status is ScheduleStatus.PUBLISHED:
            set_status(session, version_id, status, published_at=utc_now())
    return version_id


def everyone_on_wards(tiny: Tiny) -> list[BlockAssignment]:
    return [BlockAssignment(pid, n, "WARDS") for pid in tiny.residents for n in range(1, 14)]


def everyone_away(factory: Factory, tiny: Tiny, day: dt.date) -> None:
    for pid in tiny.residents:
        absences.create_absence(
            factory=factory, absence=Absence(pid, day, day, AbsenceType.CONFERENCE)
        )
