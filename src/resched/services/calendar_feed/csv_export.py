"""A version's assignments as CSV for spreadsheets: one row per shift in the range (the
look-back the validator reads is left out), local start and end in the program's zone, and
every text cell that a spreadsheet would run as a formula neutralised."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from resched.core.export_safety import neutralise_cell, safe_filename
from resched.services.common import SessionFactory
from resched.services.schedules import load_schedule
from resched.services.time_zone import program_zone

COLUMNS = (
    "date",
    "person code",
    "person name",
    "shift code",
    "shift name",
    "start local",
    "end local",
    "source",
)


@dataclass(frozen=True, slots=True)
class CsvExport:
    filename: str
    text: str


def assignments_csv(
    *,
    factory: SessionFactory,
    version_id: int,
    start: dt.date | None = None,
    end: dt.date | None = None,
    include_drafts: bool = True,
) -> CsvExport:
    """NotFound / Invalid as ``services.schedules.load_schedule``."""
    stored = load_schedule(
        factory=factory, version_id=version_id, start=start, end=end, include_drafts=include_drafts
    )
    s = stored.schedule
    zone = program_zone(s.program.timezone)
    people = {p.id: p for p in s.people}
    shifts = {t.code: t for t in s.shift_types}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    chosen = [a for a in s.assignments if s.range.contains(a.date)]
    for a in sorted(chosen, key=lambda a: (a.date, people[a.person_id].code, a.shift_code)):
        person, shift = people[a.person_id], shifts[a.shift_code]
        begins = dt.datetime.combine(a.date, shift.start, tzinfo=zone)
        ends = dt.datetime.combine(a.date, shift.start) + dt.timedelta(minutes=shift.minutes)
        cells = (person.code, person.name, shift.code, shift.name)
        writer.writerow(
            [
                a.date.isoformat(),
                *(neutralise_cell(c) for c in cells),
                begins.isoformat(timespec="minutes"),
                ends.replace(tzinfo=zone).isoformat(timespec="minutes"),
                a.source.value,
            ]
        )
    stem = f"schedule-{version_id}-{s.range.start:%Y%m%d}-{s.range.end:%Y%m%d}"
    return CsvExport(safe_filename(stem, "csv"), out.getvalue())
