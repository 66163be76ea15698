"""A small program stored through the services, and interchange documents that match it: the
common ground of the schedule import/export, compliance API, CLI and page tests."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from resched.core.model import Program, ScheduleStatus
from resched.db.tables import ScheduleVersionRow
from resched.services import calendar, people, shift_types
from tests import builders
from tests.core.builders import Doc

RESIDENTS = (("r1", 1, "Ada Lee"), ("r2", 2, "Ben Ode"), ("r3", 3, "Cy Park"))
FACULTY = (("f1", "Grace Kim"),)
SHIFTS = (
    ("DAY", "07:00", 720, "work", 0, {}),
    ("CALL", "07:00", 1440, "in_house_call", 240, {}),
    ("NIGHT", "19:00", 720, "night_float", 0, {}),
    ("PREC", "08:00", 240, "work", 0, {}),  # before CLIN, which names it
    ("CLIN", "08:00", 240, "work", 0, {"requires_supervision": True, "supervised_by": ["PREC"]}),
)
START = "2026-07-01"  # a Wednesday, the first day of the academic year


@dataclass(frozen=True)
class StoredProgram:
    year_id: int
    person_ids: dict[str, int]


def store_program(factory: sessionmaker[Session]) -> StoredProgram:
    """The program, its 2026-27 year, the shift types of ``SHIFTS`` and the people above."""
    calendar.save_program(
        factory=factory, program=Program(name="Riverside IM", timezone="America/Chicago")
    )
    year = calendar.store_academic_year(factory=factory, year=builders.academic_year())
    assert year.id is not None
    for code, start, minutes, kind, transition, extra in SHIFTS:
        shift_types.create_shift_type(
            factory=factory,
            shift_type=builders.shift_type(
                code,
                name=code,
                start=dt.time.fromisoformat(start),
                minutes=minutes,
                kind=kind,
                transition_minutes=transition,
                requires_supervision=bool(extra.get("requires_supervision")),
                supervised_by=tuple(extra.get("supervised_by", ())),
            ),
        )
    ids = {}
    for code, pgy, name in RESIDENTS:
        profile = dataclasses.replace(builders.resident(code, year.id, pgy), name=name)
        created = people.create_person(factory=factory, profile=profile)
        assert created.id is not None
        ids[code] = created.id
    for code, name in FACULTY:
        profile = dataclasses.replace(builders.faculty(code), name=name)
        created = people.create_person(factory=factory, profile=profile)
        assert created.id is not None
        ids[code] = created.id
    return StoredProgram(year.id, ids)


def base_doc(start: str = START, days: int = 42) -> Doc:
    doc = Doc(start, days=days, timezone="America/Chicago")
    for code, pgy, name in RESIDENTS:
        doc.resident(code, pgy, name)
    for code, name in FACULTY:
        doc.faculty(code, name)
    for code, start_time, minutes, kind, transition, extra in SHIFTS:
        doc.shift(code, start_time, minutes, kind, transition, **extra)
    return doc


def troubled_doc() -> dict[str, Any]:
    """Six weeks with known findings: Ada works 12 h every day of the first four weeks
    (hours-80, day-off-1-in-7); Cy has eight night-float nights in a row; Ben, otherwise on
    weekday days, sits in an unsupervised clinic on the first Saturday (supervision-ratio)."""
    doc = base_doc()
    doc.assign_days("r1", "DAY", range(28))
    doc.assign_days("r2", "DAY", [d for d in range(42) if (d + 2) % 7 < 5])
    doc.assign_days("r3", "NIGHT", range(10, 18))
    doc.assign("r2", 3, "CLIN")
    return doc.doc


def publish(factory: sessionmaker[Session], version_id: int) -> None:
    """Publishing is not a service yet (the generator issue brings it): set the status."""
    with factory() as session, session.begin():
        session.execute(
            update(ScheduleVersionRow)
            .where(ScheduleVersionRow.id == version_id)
            .values(status=ScheduleStatus.PUBLISHED, published_at=dt.datetime.now(dt.UTC))
        )
