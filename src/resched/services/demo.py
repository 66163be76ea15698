"""Loading the demo program of DEMO.md into an empty database.

The demo is one user of the services a coordinator's API calls and pages go through: the
program settings, the academic year (from its block scheme), the shift types, rotations and
coverage rules, the generation settings and the people are checked and stored - and audited,
one event each - by the same functions, in the order someone setting a program up follows.
Everything goes in one transaction, so a failure half-way leaves the database as it was; each
service stores its batch in one flush, so the load takes a fixed number of statements whatever
the number of people. Absences and requests follow, moved from the builder's person ids to the
stored ones (requests as built, until they have a service of their own).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from resched.core.demo import DEFAULT_SEED, DemoProgram, build_demo
from resched.core.errors import Conflict
from resched.core.generation_settings import GenerationSettings
from resched.core.model import BlockScheme, Holiday, Person, Role, Rotation, ShiftType
from resched.db.mappers import fill_request_row
from resched.db.records import PersonProfile
from resched.db.tables import (
    AcademicYearRow,
    PersonRow,
    ProgramRow,
    RequestRow,
    RotationRow,
    ShiftTypeRow,
)
from resched.services.absences import add_absences
from resched.services.academic_years import add_academic_year
from resched.services.audit import ActorLike, record
from resched.services.common import SessionFactory, read, write
from resched.services.coverage import add_coverage_requirements
from resched.services.generation_settings import save_generation_settings
from resched.services.people import add_people
from resched.services.program import save_program_settings
from resched.services.rotations import add_rotations
from resched.services.shift_types import add_shift_types

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
    counts = DemoCounts.of(demo)
    with write(factory) as session:
        _refuse_unless_empty(session)
        program_id = _store(session, demo, actor)
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


def _store(session: Session, demo: DemoProgram, actor: ActorLike) -> int:
    # The generation settings name rotations and the jeopardy shift a shift type: they come
    # once those exist.
    settings = dataclasses.replace(
        demo.program, generation=GenerationSettings(), jeopardy_shift=None
    )
    program = save_program_settings(session, settings, actor=actor)
    year = add_academic_year(
        session,
        label=demo.year.label,
        start=demo.year.start,
        end=demo.year.end,
        scheme=BlockScheme(demo.year.scheme, block_count=len(demo.year.blocks)),
        holidays=[Holiday(day) for day in sorted(demo.year.holidays)],
        actor=actor,
    )
    if year.blocks != demo.year.blocks:  # the builder and the service cut blocks alike
        raise AssertionError(f"demo blocks differ from the scheme's: {year.blocks}")
    shift_types = add_shift_types(session, demo.shift_types, actor=actor)
    rotations = add_rotations(session, demo.rotations, actor=actor)
    add_coverage_requirements(session, demo.coverage, actor=actor)
    save_generation_settings(session, demo.program.generation, actor=actor)
    save_program_settings(
        session,
        dataclasses.replace(program, jeopardy_shift=demo.program.jeopardy_shift),
        actor=actor,
    )
    assert year.id is not None
    people = add_people(session, [_profile(p, year.id) for p in demo.people], actor=actor)

    stored_ids = _ids(people)
    person_ids = {p.id: stored_ids[p.code] for p in demo.people}
    absences = [dataclasses.replace(a, person_id=person_ids[a.person_id]) for a in demo.absences]
    add_absences(session, absences, actor=actor)
    session.add_all(_requests(demo, person_ids, _ids(shift_types), _ids(rotations)))
    session.flush()
    assert program.id is not None
    return program.id


def _ids(stored: Iterable[PersonProfile | ShiftType | Rotation]) -> dict[str, int]:
    return {item.code: item.id for item in stored if item.id is not None}


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


def _requests(
    demo: DemoProgram,
    person_ids: Mapping[int, int],
    shift_ids: Mapping[str, int],
    rotation_ids: Mapping[str, int],
) -> list[RequestRow]:
    """Requests, their people moved from the builder's ids to the stored ones (stored as
    built: the requests service is not there yet)."""
    return [
        fill_request_row(
            RequestRow(),
            dataclasses.replace(r, person_id=person_ids[r.person_id]),
            shift_ids,
            rotation_ids,
        )
        for r in demo.requests
    ]
