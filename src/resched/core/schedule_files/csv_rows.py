"""The CSV of assignments: the columns of the schedule's CSV export (date, person code, person
name, shift code, shift name, start local, end local, source) or just the three that matter
(date, person_code, shift_code). Headers are read case-insensitively, spaces or underscores
alike; names, times and source are the program's own and are not read."""

from __future__ import annotations

import datetime as dt

from resched.core.schedule_files.grid import cell, column_letter
from resched.core.schedule_files.model import (
    Collected,
    FileAssignment,
    KnownCodes,
    ParsedFile,
    RowLike,
    SheetLike,
    cell_code,
    read_day,
)

REQUIRED = ("date", "person_code", "shift_code")
IGNORED = ("person_name", "shift_name", "start_local", "end_local", "source")


def header_key(text: str) -> str:
    return "_".join(text.strip().lower().replace("_", " ").split())


def is_assignment_table(sheet: SheetLike) -> bool:
    """Whether the sheet's first row names the assignment columns (a CSV saved as xlsx)."""
    if not sheet.rows:
        return False
    keys = {header_key(text) for text in sheet.rows[0].cells}
    return set(REQUIRED) <= keys


def read_csv_rows(sheet: SheetLike, codes: KnownCodes) -> ParsedFile:
    """One assignment per row after the header, with the problems by row and column."""
    out = Collected()
    if not sheet.rows:
        out.problem(sheet.name, None, "", "the file is empty")
        return out.parsed()
    header = sheet.rows[0]
    columns = _columns(sheet.name, header, out)
    if columns is None:
        return out.parsed()
    first_row: dict[FileAssignment, int] = {}
    for row in sheet.rows[1:]:
        found = _read_row(sheet.name, row, columns, codes, out)
        if found is None:
            continue
        if found in first_row:
            out.problem(
                sheet.name, row.number, "", f"repeats row {first_row[found]} ({_show(found)})"
            )
            continue
        first_row[found] = row.number
        out.assignments.append(found)
    if len(sheet.rows) == 1:
        out.problem(sheet.name, None, "", "no assignment rows after the header")
    return out.parsed()


def _show(a: FileAssignment) -> str:
    return f"{a.day}, {a.person}, {a.shift}"


def _columns(sheet: str, header: RowLike, out: Collected) -> dict[str, int] | None:
    columns: dict[str, int] = {}
    for index, text in enumerate(header.cells):
        key = header_key(text)
        if not key:
            continue
        letter = column_letter(index)
        if key not in REQUIRED and key not in IGNORED:
            allowed = ", ".join(REQUIRED + IGNORED)
            out.problem(sheet, header.number, letter, f'unknown column "{text}" ({allowed})')
        elif key in columns:
            out.problem(sheet, header.number, letter, f'column "{text}" appears twice')
        else:
            columns[key] = index
    missing = [k for k in REQUIRED if k not in columns]
    if missing:
        out.problem(sheet, header.number, "", f"missing column {', '.join(missing)} in the header")
    return None if missing or out.problems else columns


def _read_row(
    sheet: str, row: RowLike, columns: dict[str, int], codes: KnownCodes, out: Collected
) -> FileAssignment | None:
    date_at, person_at, shift_at = (columns[k] for k in REQUIRED)
    text = cell(row, date_at)
    day: dt.date | None = read_day(text)
    person, shift = cell_code(cell(row, person_at)), cell_code(cell(row, shift_at))
    before = len(out.problems) + out.dropped
    if day is None:
        shown = f'"{text}" is not a date (YYYY-MM-DD)' if text else "no date"
        out.problem(sheet, row.number, column_letter(date_at), shown)
    else:
        out.days.add(day)  # the range covers every dated row, one with a problem too
    if not person:
        out.problem(sheet, row.number, column_letter(person_at), "no person code")
    elif person not in codes.people:
        message = f'unknown person "{person}"'
        out.problem(sheet, row.number, column_letter(person_at), message)
    if not shift:
        out.problem(sheet, row.number, column_letter(shift_at), "no shift code")
    elif shift not in codes.shifts:
        out.problem(sheet, row.number, column_letter(shift_at), f'unknown shift type "{shift}"')
    if day is None or len(out.problems) + out.dropped != before:
        return None
    return FileAssignment(day, person, shift)
