"""A small program written straight into the tables, so the page tests depend only on the
schema (not on the write services) and can scale the row counts freely."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from resched.core.model import (
    AbsenceStatus,
    AbsenceType,
    BlockSchemeKind,
    Role,
    ScheduleStatus,
    ShiftKind,
)
from resched.db.tables import (
    AbsenceRow,
    AcademicYearRow,
    BlockAssignmentRow,
    BlockRow,
    CoverageRequirementRow,
    PersonRow,
    PersonYearRow,
    ProgramRow,
    RotationCapacityRow,
    RotationRequirementRow,
    RotationRow,
    ScheduleVersionRow,
    ShiftTypeRow,
)

YEAR_START = dt.date(2026, 7, 1)
YEAR_END = dt.date(2027, 6, 30)
TODAY = dt.date(2026, 11, 30)
ROTATIONS = (
    ("WARDS", "Wards", "#1f77b4"),
    ("ICU", "Intensive Care Unit", "#d62728"),
    ("NF", "Night Float", "#2c2c54"),
    ("AMB", "Ambulatory Clinic", "#98df8a"),
    ("ELEC", "Elective", "#ffdd57"),
)


@dataclass(frozen=True)
class Seeded:
    year_id: int
    resident_ids: tuple[int, ...]
    faculty_ids: tuple[int, ...]
    first_resident_id: int


def thirteen_blocks(start: dt.date = YEAR_START, end: dt.date = YEAR_END) -> list[BlockRow]:
    blocks = []
    for number in range(1, 14):
        first = start + dt.timedelta(days=28 * (number - 1))
        last = end if number == 13 else first + dt.timedelta(days=27)
        blocks.append(BlockRow(number=number, start_date=first, end_date=last))
    return blocks


def _catalog(session: Session) -> list[RotationRow]:
    call = ShiftTypeRow(
        code="CALL",
        name="In-house call",
        start_time=dt.time(7),
        minutes=24 * 60,
        transition_minutes=240,
        kind=ShiftKind.IN_HOUSE_CALL,
    )
    night = ShiftTypeRow(
        code="NIGHT",
        name="Night float",
        start_time=dt.time(19),
        minutes=720,
        kind=ShiftKind.NIGHT_FLOAT,
    )
    session.add_all([call, night])
    rotations = []
    for code, name, colour in ROTATIONS:
        rotation = RotationRow(
            code=code, name=name, colour=colour, leave_eligible=code in ("AMB", "ELEC")
        )
        rotation.capacities = [RotationCapacityRow(pgy_min=1, pgy_max=1, min_count=1, max_count=5)]
        rotation.requirements = [RotationRequirementRow(pgy=1, min_blocks=1, max_blocks=6)]
        rotations.append(rotation)
    session.add_all(rotations)
    session.add(
        CoverageRequirementRow(
            name="Ward call",
            shift_type=call,
            weekdays=list(range(1, 8)),
            min_count=1,
            max_count=1,
            pgy_min=2,
            roles=["resident"],
            rotations=["WARDS"],
        )
    )
    return rotations


def seed_program(
    factory: sessionmaker[Session],
    *,
    residents_per_level: int = 4,
    faculty: int = 2,
    with_plan: bool = True,
    with_absences: bool = True,
) -> Seeded:
    """A program with PGY-1..3 residents (``residents_per_level`` each), faculty, a published
    plan (one split block, one unassigned cell) and a winter-break absence for three residents."""
    with factory() as session, session.begin():
        session.add(ProgramRow(name="Riverside Internal Medicine", timezone="America/Chicago"))
        year = AcademicYearRow(
            label="2026-27",
            start_date=YEAR_START,
            end_date=YEAR_END,
            scheme=BlockSchemeKind.FOUR_WEEK,
        )
        year.blocks = thirteen_blocks()
        session.add(year)
        rotations = _catalog(session)
        residents, staff = _people(session, year, residents_per_level, faculty)
        if with_plan:
            _plan(session, year, residents, rotations)
        if with_absences:
            session.add_all(_winter_break(person.id) for person in residents[:3])
        resident_ids = tuple(p.id for p in residents)
        first = resident_ids[0] if resident_ids else 0
        return Seeded(year.id, resident_ids, tuple(p.id for p in staff), first)


def _people(
    session: Session, year: AcademicYearRow, per_level: int, faculty: int
) -> tuple[list[PersonRow], list[PersonRow]]:
    residents = [
        PersonRow(code=f"r{level}{i:03d}", name=f"Resident {level}-{i:03d}", role=Role.RESIDENT)
        for level in (1, 2, 3)
        for i in range(per_level)
    ]
    staff = [
        PersonRow(code=f"f{i:03d}", name=f"Faculty {i:03d}", role=Role.FACULTY)
        for i in range(faculty)
    ]
    session.add_all(residents + staff)
    session.flush()
    session.add_all(
        PersonYearRow(person_id=p.id, academic_year_id=year.id, pgy=index // per_level + 1)
        for index, p in enumerate(residents)
    )
    return residents, staff


def _winter_break(person_id: int) -> AbsenceRow:
    return AbsenceRow(
        person_id=person_id,
        start_date=dt.date(2026, 12, 21),
        end_date=dt.date(2026, 12, 27),
        type=AbsenceType.VACATION,
        status=AbsenceStatus.APPROVED,
        note="Winter break",
    )


def _plan(
    session: Session,
    year: AcademicYearRow,
    residents: list[PersonRow],
    rotations: list[RotationRow],
) -> None:
    version = ScheduleVersionRow(
        academic_year_id=year.id, status=ScheduleStatus.PUBLISHED, label="Plan 2026-27"
    )
    session.add(version)
    session.flush()

    def cell(person: PersonRow, block: BlockRow, rotation: RotationRow, half: int = 0) -> None:
        session.add(
            BlockAssignmentRow(
                version_id=version.id,
                person_id=person.id,
                block_id=block.id,
                half=half,
                rotation_id=rotation.id,
            )
        )

    for index, person in enumerate(residents):
        for block in year.blocks:
            if index == 0 and block.number == 2:  # one split block: Wards, then Elective
                cell(person, block, rotations[0], half=1)
                cell(person, block, rotations[4], half=2)
            elif not (index == 1 and block.number == 13):  # one cell left unassigned
                cell(person, block, rotations[(index + block.number) % len(rotations)])


def grow(factory: sessionmaker[Session], seeded: Seeded, *, residents: int, absences: int) -> None:
    """Many more rows of every kind a page lists: residents with a full plan, and absences."""
    with factory() as session, session.begin():
        year = session.get_one(AcademicYearRow, seeded.year_id)
        version = session.query(ScheduleVersionRow).filter_by(academic_year_id=year.id).one()
        rotation_ids = [r.id for r in session.query(RotationRow).order_by(RotationRow.id)]
        people = [
            PersonRow(code=f"g{i:04d}", name=f"Grown {i:04d}", role=Role.RESIDENT)
            for i in range(residents)
        ]
        session.add_all(people)
        session.flush()
        for i, person in enumerate(people):
            session.add(PersonYearRow(person_id=person.id, academic_year_id=year.id, pgy=i % 4 + 1))
            for block in year.blocks:
                session.add(
                    BlockAssignmentRow(
                        version_id=version.id,
                        person_id=person.id,
                        block_id=block.id,
                        half=0,
                        rotation_id=rotation_ids[(i + block.number) % len(rotation_ids)],
                    )
                )
        for i in range(absences):
            day = YEAR_START + dt.timedelta(days=i % 300)
            session.add(
                AbsenceRow(
                    person_id=seeded.first_resident_id,
                    start_date=day,
                    end_date=day,
                    type=AbsenceType.CONFERENCE,
                    status=AbsenceStatus.REQUESTED,
                )
            )
