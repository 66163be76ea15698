"""Schedule files for the import tests: the demo and the pediatrics program (tests/programs/
pediatrics.py) stored through the services, a stored schedule on each (every person, every
day, one or two shifts), and that schedule written as the grid workbook the xlsx export
writes (one sheet per month, row 2 dated from column D, cells "AM + PM") or as CSV."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable

import openpyxl
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
)
from resched.db.records import PersonProfile
from resched.db.repositories import (
    AcademicYearRepository,
    PeopleRepository,
    ShiftTypeRepository,
)
from resched.db.repositories.schedule import ScheduleVersionRepository, ShiftAssignmentRepository
from resched.db.tables import AuditEventRow, ScheduleVersionRow, ShiftAssignmentRow
from resched.io.uploads import FileKind, Upload, check_upload
from resched.services import academic_years, calendar, people, shift_types
from resched.services.demo import load_demo
from tests import builders
from tests.programs import pediatrics as peds

Factory = sessionmaker[Session]
Triple = tuple[str, dt.date, str]  # person code, day, shift code
PROGRAMS = ("demo", "pediatrics")


def store_pediatrics(factory: Factory) -> None:
    calendar.save_program(
        factory=factory,
        program=Program(name=peds.PROGRAM["name"], timezone=peds.PROGRAM["timezone"]),
    )
    year = academic_years.create_academic_year(
        factory=factory,
        label=peds.YEAR_LABEL,
        start=dt.date.fromisoformat(peds.ACADEMIC_YEAR["start"]),
        end=None,
        scheme=BlockScheme(BlockSchemeKind.MONTHLY),
    )
    for body in peds.SHIFT_TYPES:
        shift = builders.shift_type(
            body["code"],
            name=body["name"],
            start=dt.time.fromisoformat(body["start"]),
            minutes=body["minutes"],
            kind=ShiftKind(body["kind"]),
            transition_minutes=body.get("transition_minutes", 0),
            requires_supervision=body.get("requires_supervision", False),
            supervised_by=tuple(body.get("supervised_by", ())),
        )
        shift_types.create_shift_type(factory=factory, shift_type=shift)
    assert year.id is not None
    for body in peds.residents(year.id) + peds.FACULTY:
        levels = {y["academic_year_id"]: y["pgy"] for y in body.get("years", [])}
        profile = PersonProfile(
            code=body["code"], name=body["name"], role=Role(body["role"]), pgy_by_year=levels
        )
        people.create_person(factory=factory, profile=profile)


def store_program(factory: Factory, kind: str) -> None:
    if kind == "demo":
        load_demo(factory=factory)
    else:
        store_pediatrics(factory)


def store_schedule(factory: Factory, start: dt.date, days: int) -> int:
    """A draft where everyone works every day: one shift, two on every fifth (person, day)."""
    with factory.begin() as session:
        everyone = PeopleRepository(session).in_year(0)
        shift_ids = ShiftTypeRepository(session).ids_by_code()
        codes = sorted(shift_ids)
        assignments = []
        for n, person in enumerate(everyone):
            for d in range(days):
                day = start + dt.timedelta(days=d)
                first = codes[(n + d) % len(codes)]
                assignments.append(Assignment(person.id or 0, day, first))
                if (n + d) % 5 == 0:
                    second = codes[(n + d + 3) % len(codes)]
                    assignments.append(Assignment(person.id or 0, day, second))
        year_id = AcademicYearRepository(session).all()[0].id or 0
        version_id = ScheduleVersionRepository(session).add(
            academic_year_id=year_id, label="original", status=ScheduleStatus.DRAFT
        )
        ShiftAssignmentRepository(session).add_many(version_id, assignments, shift_ids)
    return version_id


def version_triples(factory: Factory, version_id: int) -> set[Triple]:
    with factory() as session:
        codes = {p.id: p.code for p in PeopleRepository(session).in_year(0)}
        found = ShiftAssignmentRepository(session).between([version_id], dt.date.min, dt.date.max)
        return {(codes[a.person_id], a.date, a.shift_code) for _, a in found}


def grid_workbook(
    triples: Iterable[Triple],
    people: Iterable[tuple[str, str, str]],
    start: dt.date,
    days: int,
    block_days: int | None = None,
) -> bytes:
    """The grid format, one sheet per month (or per block of ``block_days``, named by its
    label), and a Legend sheet; ``people``: code, name, level."""
    cells: dict[tuple[str, dt.date], list[str]] = {}
    for person, day, shift in sorted(triples):
        cells.setdefault((person, day), []).append(shift)
    book = openpyxl.Workbook()
    book.remove(book.active)
    months: dict[str, list[dt.date]] = {}
    for d in range(days):
        day = start + dt.timedelta(days=d)
        name = f"Block {d // block_days + 1}" if block_days else f"{day:%Y-%m}"
        months.setdefault(name, []).append(day)
    for name, month_days in months.items():
        sheet = book.create_sheet(name)
        sheet.append([f"Schedule {name}"])
        sheet.append(["Code", "Name", "Level", *month_days])
        for code, person_name, level in people:
            shown = [" + ".join(cells.get((code, day), [])) or None for day in month_days]
            sheet.append([code, person_name, level, *shown])
    legend = book.create_sheet("Legend")
    legend.append(["Code", "Name", "Start", "End", "Kind"])
    legend.append(["NOPE", "not a shift of the program: ignored", "07:00", "19:00", "work"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def program_people(factory: Factory) -> list[tuple[str, str, str]]:
    with factory() as session:
        return [
            (p.code, p.name, f"PGY-{p.pgy}" if p.pgy else p.role.value)
            for p in PeopleRepository(session).in_year(0)
        ]


def upload(name: str, data: bytes) -> Upload:
    return check_upload(filename=name, data=data, allowed=tuple(FileKind))


def counts(factory: Factory) -> tuple[int, int, int]:
    """Versions, assignments and audit events: unchanged when an import is refused."""
    with factory() as session:
        return tuple(  # type: ignore[return-value]
            session.scalar(select(func.count()).select_from(t)) or 0
            for t in (ScheduleVersionRow, ShiftAssignmentRow, AuditEventRow)
        )
