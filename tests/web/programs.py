"""Two programs of different shapes for the edit pages' tests, stored through the services:
the demo (internal medicine: 13 four-week blocks, PGY-1..3, heavy rotations) and a small
pediatrics program (calendar months, two academic years, PGY-1..4 over two rotations)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from resched.core.model import BlockScheme, BlockSchemeKind, Program, Role, Rotation
from resched.db.records import PersonProfile
from resched.services import academic_years, calendar, people, rotations
from resched.services.demo import load_demo

PROGRAMS = ("demo", "pediatrics")


@dataclass(frozen=True)
class Stored:
    year_ids: tuple[int, ...]  # oldest first
    resident_ids: tuple[int, ...]
    rotation_codes: tuple[str, ...]


def _pediatrics(factory: sessionmaker[Session]) -> None:
    calendar.save_program(
        factory=factory, program=Program(name="Valley Pediatrics", timezone="America/Denver")
    )
    for label, start in (("2026-27", dt.date(2026, 7, 1)), ("2027-28", dt.date(2027, 7, 1))):
        academic_years.create_academic_year(
            factory=factory,
            label=label,
            start=start,
            end=None,
            scheme=BlockScheme(BlockSchemeKind.MONTHLY),
            us_federal_holidays=False,
        )
    for code, name in (("PICU", "Pediatric ICU"), ("NURS", "Newborn Nursery")):
        rotation = Rotation(code=code, name=name, leave_eligible=code == "NURS")
        rotations.create_rotation(factory=factory, rotation=rotation)
    first = academic_years.list_academic_years(factory=factory)[0].id
    assert first is not None
    for n, pgy in enumerate((1, 2, 3, 4), start=1):
        profile = PersonProfile(
            code=f"peds{n}", name=f"Peds Resident {n}", role=Role.RESIDENT, pgy_by_year={first: pgy}
        )
        people.create_person(factory=factory, profile=profile)
    people.create_person(
        factory=factory, profile=PersonProfile(code="att1", name="Attending", role=Role.FACULTY)
    )


def store_program(factory: sessionmaker[Session], kind: str) -> Stored:
    if kind == "demo":
        load_demo(factory=factory)
    else:
        _pediatrics(factory)
    years = tuple(y.id for y in academic_years.list_academic_years(factory=factory) if y.id)
    residents = people.list_people(factory=factory, role=Role.RESIDENT, limit=200).items
    codes = tuple(r.code for r in rotations.list_rotations(factory=factory).items)
    return Stored(years, tuple(p.id for p in residents if p.id), codes)
