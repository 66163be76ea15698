"""The grid workbook: one sheet per month or block; row 1 a title, row 2 the headers "Code",
"Name", "Level" and one dated column per day from D; then one row per person whose day cells
hold that day's shift codes joined with " + ". A sheet named "Legend" is ignored (shift types
are the program's). A rotation plan workbook (a column per block) is recognised and refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from resched.core.schedule_files.model import (
    Collected,
    FileAssignment,
    KnownCodes,
    ParsedFile,
    Problem,
    RowLike,
    SheetLike,
    cell_code,
    read_day,
)

LEGEND = "legend"
FIRST_DAY_COLUMN = 3  # D: after Code, Name, Level
HEADER_SEARCH_ROWS = 5  # the header is row 2; a missing title moves it up, a note row down
PLAN_WORKBOOK = (
    "this workbook has no day columns (no date in the header row from column D on): it looks "
    "like a rotation plan (one column per block), not a schedule. A schedule has one sheet per "
    "month or block, row 2 dated day by day from column D."
)


def column_letter(index: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "AA"."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def cell(row: RowLike, index: int) -> str:
    return row.cells[index].strip() if index < len(row.cells) else ""


@dataclass(frozen=True, slots=True)
class _Header:
    row: int
    days: dict[int, dt.date]  # column index -> its date
    reported: frozenset[int]  # columns whose header was a problem: their cells are not read
    other: bool  # a non-empty header from D on that is not a date (a block label?)


def read_grid(sheets: Sequence[SheetLike], codes: KnownCodes) -> ParsedFile:
    """Every day cell of every sheet but the legend, with the problems by sheet, row, column."""
    out = Collected()
    seen_days: dict[dt.date, str] = {}
    headers: list[_Header] = []
    for sheet in sheets:
        if sheet.name.strip().lower() == LEGEND:
            continue
        header = _read_sheet(sheet, codes, out, seen_days)
        if header is not None:
            headers.append(header)
    if not seen_days and any(h.other for h in headers):
        return ParsedFile((), (Problem("", None, "", PLAN_WORKBOOK),), None, None)
    if not seen_days and not out.problems:
        out.problem("", None, "", "no sheet has a header row with dated day columns")
    return out.parsed()


def _read_sheet(
    sheet: SheetLike, codes: KnownCodes, out: Collected, seen_days: dict[dt.date, str]
) -> _Header | None:
    rows = sheet.rows
    at = next(
        (i for i, r in enumerate(rows[:HEADER_SEARCH_ROWS]) if cell(r, 0).lower() == "code"),
        None,
    )
    if at is None:
        if rows:
            out.problem(sheet.name, None, "A", 'no header row with "Code" in column A (row 2)')
        return None
    header = _read_header(sheet, rows[at], out, seen_days)
    persons: dict[str, int] = {}
    for row in rows[at + 1 :]:
        _read_person(sheet.name, row, header, codes, persons, out)
    return header


def _read_header(
    sheet: SheetLike, row: RowLike, out: Collected, seen_days: dict[dt.date, str]
) -> _Header:
    days: dict[int, dt.date] = {}
    reported: set[int] = set()
    for index in range(FIRST_DAY_COLUMN, len(row.cells)):
        text, letter = cell(row, index), column_letter(index)
        day = read_day(text) if text else None
        if text and day is None:
            reported.add(index)
            out.problem(sheet.name, row.number, letter, f'"{text}" is not a date (YYYY-MM-DD)')
        elif day is not None and day in seen_days:
            reported.add(index)
            out.problem(
                sheet.name, row.number, letter, f"{day} appears twice (also {seen_days[day]})"
            )
        elif day is not None:
            seen_days[day] = f"sheet {sheet.name}, column {letter}"
            days[index] = day
            out.days.add(day)
    other = len(reported) > len(days)
    return _Header(row.number, days, frozenset(reported), other)


def _read_person(
    sheet: str,
    row: RowLike,
    header: _Header,
    codes: KnownCodes,
    persons: dict[str, int],
    out: Collected,
) -> None:
    person = cell_code(cell(row, 0))
    filled = [i for i in range(FIRST_DAY_COLUMN, len(row.cells)) if cell(row, i)]
    if not person:
        if filled:
            out.problem(sheet, row.number, "A", "shifts without a person code")
        return
    if person in persons:
        out.problem(sheet, row.number, "A", f'"{person}" already has row {persons[person]}')
        return
    persons[person] = row.number
    if person not in codes.people:
        out.problem(sheet, row.number, "A", f'unknown person "{person}"')
        return
    for index in filled:
        day, letter = header.days.get(index), column_letter(index)
        if index in header.reported:
            continue
        if day is None:
            out.problem(sheet, row.number, letter, "shifts under a column with no date")
            continue
        _read_cell(sheet, row.number, letter, person, day, cell(row, index), codes, out)


def _read_cell(
    sheet: str,
    row: int,
    letter: str,
    person: str,
    day: dt.date,
    text: str,
    codes: KnownCodes,
    out: Collected,
) -> None:
    seen: set[str] = set()
    for part in cell_code(text).split("+"):
        shift = cell_code(part)
        if not shift:
            out.problem(sheet, row, letter, f'"{text}": an empty shift code')
        elif shift not in codes.shifts:
            out.problem(sheet, row, letter, f'unknown shift type "{shift}"')
        elif shift in seen:
            out.problem(sheet, row, letter, f'"{shift}" twice on {day}')
        else:
            seen.add(shift)
            out.assignments.append(FileAssignment(day, person, shift))
