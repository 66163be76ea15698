"""Loading the demo program of DEMO.md into an empty database.

Everything goes in one transaction, so a failure half-way leaves the database as it was. Rows
are handed to the session in groups and flushed once per group: SQLAlchemy's unit of work then
sends each table's rows as a few multi-row INSERTs rather than one round trip per row. The
groups follow the foreign keys: people need the academic year's id, absences and requests the
people's ids (and the shift type and rotation ids).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from resched.core.demo import DEFAULT_SEED, DemoProgram, build_demo
from resched.core.errors import Conflict
from resched.core.model import Person, Role
from resched.db.mappers import (
    fill_absence_row,
    fill_academic_year_row,
    fill_coverage_row,
    fill_person_row,
    fill_program_row,
    fill_request_row,
    fill_rotation_row,
    fill_shift_type_row,
)
from resched.db.records import PersonProfile
from resched.db.tables import (
    AbsenceRow,
    AcademicYearRow,
    CoverageRequirementRow,
    PersonRow,
    ProgramRow,
    RequestRow,
    RotationRow,
    ShiftTypeRow,
)
from resched.services.absences import validate_absence
from resched.services.audit import ActorLike, record
from resched.services.calendar import validate_academic_year
from resched.services.common import SessionFactory, read, write
from resched.services.coverage import validate_coverage
from resched.services.people import validate_profile
from resched.services.rotations import validate_rotation
from resched.services.shift_types import validate_shift_type

ACTION = "demo.load"
ENTITY = "program"

# Any of these means someone already set the database up: the demo never mixes with real data
# (its codes would collide, or worse, its people would join a real program).
_OCCUPIED_BY = (
    (AcademicYearRow, "academic years"),
    (PersonRow, "people"),
    (ShiftTypeRow, "shift types"),
    (RotationRow, "rotations"),
)


@dataclass(frozen=True, slots=True)
class DemoCounts:
    residents: int
    faculty: int
    blocks: int
    holidays: int
    shift_types: int
    rotations: int
    coverage_requirements: int
    absences: int
    requests: int

    @classmethod
    def of(cls, demo: DemoProgram) -> DemoCounts:
        return cls(
            residents=len(demo.residents),
            faculty=len(demo.faculty),
            blocks=len(demo.year.blocks),
            holidays=len(demo.year.holidays),
            shift_types=len(demo.shift_types),
            rotations=len(demo.rotations),
            coverage_requirements=len(demo.coverage),
            absences=len(demo.absences),
            requests=len(demo.requests),
        )

    def describe(self) -> str:
        return ", ".join(
            f"{getattr(self, f.name)} {f.name.replace('_', ' ')}" for f in dataclasses.fields(self)
        )


def program_exists(*, factory: SessionFactory) -> bool:
    """Whether the database already holds a program (the first start loads the demo if not)."""
    with read(factory) as session:
        return session.scalar(select(ProgramRow.id).limit(1)) is not None


def load_demo(
    *,
    factory: SessionFactory,
    residents: int = 36,
    faculty: int = 16,
    seed: int = DEFAULT_SEED,
    actor: ActorLike = None,
) -> str:
    """Store the demo program, audited as ``demo.load``; returns a one-line summary.

    Sizes the demo cannot take raise ``Invalid`` (from the builder); a database that already
    holds a program, or any people, years, shift types or rotations, raises ``Conflict``.
    """
    demo = build_demo(residents=residents, faculty=faculty, seed=seed)
    _validate(demo)
    counts = DemoCounts.of(demo)
    with write(factory) as session:
        _refuse_unless_empty(session)
        program_id = _store(session, demo)
        record(
            session,
            actor=actor,
            action=ACTION,
            entity=ENTITY,
            entity_id=program_id,
            after={
                "program": demo.program.name,
                "academic_year": demo.year.label,
                "seed": seed,
                "counts": dataclasses.asdict(counts),
            },
        )
    return (
        f"Loaded demo program {demo.program.name!r}: {counts.describe()} "
        f"(academic year {demo.year.label}, seed {seed})"
    )


def _validate(demo: DemoProgram) -> None:
    """The demo passes the same checks as data entered through the API (a failure here is a
    bug in the builder, better found now than as odd data on a page)."""
    validate_academic_year(demo.year)
    for shift_type in demo.shift_types:
        validate_shift_type(shift_type)
    for rotation in demo.rotations:
        validate_rotation(rotation)
    for coverage in demo.coverage:
        validate_coverage(coverage)
    for person in demo.people:
        validate_profile(_profile(person, year_id=0))
    for absence in demo.absences:
        validate_absence(absence)


def _refuse_unless_empty(session: Session) -> None:
    name = session.scalar(select(ProgramRow.name).limit(1))
    if name is not None:
        raise Conflict(
            f"the database already holds the program {name!r}; "
            "the demo loads only into an empty database",
            details={"entity": ENTITY},
        )
    for table, what in _OCCUPIED_BY:
        if session.scalar(select(table.id).limit(1)) is not None:
            raise Conflict(
                f"the database already holds {what}; the demo loads only into an empty database",
                details={"entity": table.__tablename__},
            )


def _store(session: Session, demo: DemoProgram) -> int:
    program = fill_program_row(ProgramRow(), demo.program)
    year = fill_academic_year_row(AcademicYearRow(blocks=[], holidays=[]), demo.year)
    shift_types = {s.code: fill_shift_type_row(ShiftTypeRow(), s) for s in demo.shift_types}
    rotations = {
        r.code: fill_rotation_row(RotationRow(capacities=[], requirements=[]), r)
        for r in demo.rotations
    }
    coverage = [
        fill_coverage_row(CoverageRequirementRow(), c, shift_types[c.shift_code])
        for c in demo.coverage
    ]
    session.add_all([program, year, *shift_types.values(), *rotations.values(), *coverage])
    session.flush()

    people = {p.id: fill_person_row(PersonRow(years=[]), _profile(p, year.id)) for p in demo.people}
    session.add_all(people.values())
    session.flush()

    person_ids = {demo_id: row.id for demo_id, row in people.items()}
    shift_ids = {code: row.id for code, row in shift_types.items()}
    rotation_ids = {code: row.id for code, row in rotations.items()}
    session.add_all(_events(demo, person_ids, shift_ids, rotation_ids))
    session.flush()
    return program.id


def _profile(person: Person, year_id: int) -> PersonProfile:
    pgy = {year_id: person.pgy} if person.role is Role.RESIDENT and person.pgy else {}
    return PersonProfile(
        code=person.code,
        name=person.name,
        role=person.role,
        email=person.email,
        credentials=person.credentials,
        active=person.active,
        pgy_by_year=pgy,
    )


def _events(
    demo: DemoProgram,
    person_ids: Mapping[int, int],
    shift_ids: Mapping[str, int],
    rotation_ids: Mapping[str, int],
) -> list[AbsenceRow | RequestRow]:
    """Absences and requests, their people moved from the builder's ids to the stored ones."""
    absences = [
        fill_absence_row(AbsenceRow(), dataclasses.replace(a, person_id=person_ids[a.person_id]))
        for a in demo.absences
    ]
    requests = [
        fill_request_row(
            RequestRow(),
            dataclasses.replace(r, person_id=person_ids[r.person_id]),
            shift_ids,
            rotation_ids,
        )
        for r in demo.requests
    ]
    return [*absences, *requests]
