"""What the xlsx exports share: the file, the rows' people, the legend of shift codes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from resched.core.export_safety import safe_filename
from resched.core.model import Person, Role, ShiftType
from resched.io.xlsx_sheets import LegendEntry, RowPerson

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FACULTY = "Faculty"


@dataclass(frozen=True, slots=True)
class ExportedFile:
    """Any exported file ready to send: a safe file name, its bytes and its media type."""

    filename: str
    content: bytes
    media_type: str


@dataclass(frozen=True, slots=True)
class XlsxExport(ExportedFile):
    """A workbook ready to send: a safe file name and its bytes."""

    media_type: str = XLSX_MEDIA_TYPE


def xlsx_export(stem: str, content: bytes) -> XlsxExport:
    return XlsxExport(safe_filename(stem, "xlsx"), content)


def level(person: Person) -> str:
    """The level as the schedule pages show it: "PGY-2", "Faculty", else the role."""
    if person.pgy is not None:
        return f"PGY-{person.pgy}"
    if person.role is Role.FACULTY:
        return FACULTY
    return person.role.value.capitalize()


def person_order(person: Person) -> tuple[bool, int, str, str]:
    """Residents by PGY (junior first), then faculty and others; by name within."""
    return (person.pgy is None, person.pgy or 0, person.name, person.code)


def row_people(people: Iterable[Person]) -> tuple[RowPerson, ...]:
    return tuple(RowPerson(p.code, p.name, level(p)) for p in sorted(people, key=person_order))


def shift_legend(shift_types: Iterable[ShiftType]) -> tuple[LegendEntry, ...]:
    """Each shift type with its local start and end (the end's clock time, past midnight
    for a night)."""
    entries = []
    for shift in sorted(shift_types, key=lambda s: (s.start, s.code)):
        start = dt.datetime.combine(dt.date(2000, 1, 1), shift.start)
        end = (start + dt.timedelta(minutes=shift.minutes)).time()
        entries.append(LegendEntry(shift.code, shift.name, shift.kind.value, shift.start, end))
    return tuple(entries)


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"
