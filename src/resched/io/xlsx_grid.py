"""Shift grids as xlsx: people x days, each cell the person's shift codes that day.

The layout is a format other programs (and resched's own importer) read, so it is fixed:
row 1 the title in A1; row 2 the headers "Code", "Name", "Level" and from column D one real
date cell per day (shown as 'ddd d mmm'); from row 3 one row per person: code, name, level,
then per day the shift codes joined with " + " in start-time order (empty when none). Panes
are frozen at D3. A month's sheet is named "YYYY-MM", a block's sheet by its label. The
"Legend" sheet lists each shift code with its name, local start and end, and kind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from resched.io.xlsx_sheets import (
    DAY_FORMAT,
    LegendEntry,
    RowPerson,
    add_legend,
    bold,
    centred,
    new_book,
    set_up_print,
    set_widths,
    sheet_name,
    text,
    to_bytes,
    write_person,
    write_person_headers,
    write_title,
)

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

SEPARATOR = " + "
FIRST_DAY_COLUMN = 4
FIRST_PERSON_ROW = 3
WEEKEND_FONT_COLOUR = "FF555555"


@dataclass(frozen=True, slots=True)
class GridSheet:
    """One sheet: its name before sanitising ("2026-07", a block's label), its title, the
    days (columns, in order) and each person's shift codes per day, already in start-time
    order, keyed by (person code, day)."""

    name: str
    title: str
    days: tuple[dt.date, ...]
    shifts: Mapping[tuple[str, dt.date], tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class GridWorkbook:
    program_name: str
    title: str
    people: tuple[RowPerson, ...]
    sheets: tuple[GridSheet, ...]
    legend: tuple[LegendEntry, ...]


def write_grid_workbook(
    book_data: GridWorkbook, on_sheet: Callable[[int, int], None] | None = None
) -> bytes:
    """The workbook's bytes: one grid sheet per ``GridSheet``, then "Legend". ``on_sheet``
    hears (sheets done, sheets in all) before each sheet (a job's progress and cancel)."""
    book = new_book()
    for done, grid in enumerate(book_data.sheets):
        if on_sheet is not None:
            on_sheet(done, len(book_data.sheets))
        sheet = book.create_sheet(sheet_name(grid.name, book.sheetnames))
        _write_grid(sheet, grid, book_data.people)
        set_up_print(
            sheet,
            title=grid.title,
            footer=f"{book_data.program_name} - {book_data.title}",
            header_rows=FIRST_PERSON_ROW - 1,
        )
    add_legend(book, f"{book_data.program_name}: shift codes", book_data.legend)
    return to_bytes(book)


def _write_grid(sheet: Worksheet, grid: GridSheet, people: tuple[RowPerson, ...]) -> None:
    write_title(sheet, grid.title)
    write_person_headers(sheet, row=2)
    for offset, day in enumerate(grid.days):
        cell = sheet.cell(row=2, column=FIRST_DAY_COLUMN + offset, value=day)
        cell.number_format = DAY_FORMAT
        cell.font = bold()
        cell.alignment = centred()
    for row, person in enumerate(people, start=FIRST_PERSON_ROW):
        write_person(sheet, row, person)
        for offset, day in enumerate(grid.days):
            codes = grid.shifts.get((person.code, day), ())
            if codes:
                cell = sheet.cell(
                    row=row, column=FIRST_DAY_COLUMN + offset, value=text(SEPARATOR.join(codes))
                )
                cell.alignment = centred()
    set_widths(sheet, FIRST_DAY_COLUMN, FIRST_DAY_COLUMN + len(grid.days) - 1, 10)
    sheet.freeze_panes = sheet.cell(row=FIRST_PERSON_ROW, column=FIRST_DAY_COLUMN).coordinate
