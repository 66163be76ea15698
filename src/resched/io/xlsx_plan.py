"""The rotation plan of a year as xlsx: residents x blocks, each cell the rotation code on the
rotation's colour (with black or white text, whichever reads better).

Layout: row 1 the title in A1; row 2 the headers "Code", "Name", "Level" and from column D one
column per block headed by its label; row 3 each block's start date (a real date cell); from
row 4 one row per resident. A block split into halves shows both codes, "WARD / ICU", on the
first half's colour. Panes are frozen at D4. The "Legend" sheet lists each rotation code
with its name on its colour.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from resched.io.xlsx_sheets import (
    DATE_FORMAT,
    LegendEntry,
    RowPerson,
    add_legend,
    bold,
    centred,
    fill_for,
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

HALF_SEPARATOR = " / "
FIRST_BLOCK_COLUMN = 4
FIRST_PERSON_ROW = 4


@dataclass(frozen=True, slots=True)
class PlanBlock:
    label: str
    start: dt.date
    end: dt.date


@dataclass(frozen=True, slots=True)
class PlanWorkbook:
    """A plan: its people (rows), blocks (columns), each cell's rotation codes (one, or one
    per half in order) keyed by (person code, block index), and each rotation's colour."""

    program_name: str
    title: str
    sheet: str
    people: tuple[RowPerson, ...]
    blocks: tuple[PlanBlock, ...]
    cells: Mapping[tuple[str, int], tuple[str, ...]] = field(default_factory=dict)
    colours: Mapping[str, str] = field(default_factory=dict)
    legend: tuple[LegendEntry, ...] = ()


def write_plan_workbook(plan: PlanWorkbook) -> bytes:
    """The workbook's bytes: the plan sheet, then "Legend"."""
    book = new_book()
    sheet = book.create_sheet(sheet_name(plan.sheet))
    write_title(sheet, plan.title)
    write_person_headers(sheet, row=2)
    _write_blocks(sheet, plan.blocks)
    for row, person in enumerate(plan.people, start=FIRST_PERSON_ROW):
        write_person(sheet, row, person)
        for index in range(len(plan.blocks)):
            codes = plan.cells.get((person.code, index), ())
            if codes:
                _write_cell(sheet, row, FIRST_BLOCK_COLUMN + index, codes, plan.colours)
    set_widths(sheet, FIRST_BLOCK_COLUMN, FIRST_BLOCK_COLUMN + len(plan.blocks) - 1, 12)
    sheet.freeze_panes = sheet.cell(row=FIRST_PERSON_ROW, column=FIRST_BLOCK_COLUMN).coordinate
    set_up_print(
        sheet,
        title=plan.title,
        footer=f"{plan.program_name} - {plan.title}",
        header_rows=FIRST_PERSON_ROW - 1,
    )
    add_legend(book, f"{plan.program_name}: rotations", plan.legend)
    return to_bytes(book)


def _write_blocks(sheet: Worksheet, blocks: tuple[PlanBlock, ...]) -> None:
    for index, block in enumerate(blocks):
        column = FIRST_BLOCK_COLUMN + index
        header = sheet.cell(row=2, column=column, value=text(block.label))
        header.font, header.alignment = bold(), centred()
        start = sheet.cell(row=3, column=column, value=block.start)
        start.number_format, start.alignment = DATE_FORMAT, centred()


def _write_cell(
    sheet: Worksheet, row: int, column: int, codes: tuple[str, ...], colours: Mapping[str, str]
) -> None:

    cell = sheet.cell(row=row, column=column, value=text(HALF_SEPARATOR.join(codes)))
    cell.alignment = centred()
    colour = colours.get(codes[0])
    if colour is not None:
        cell.fill, cell.font = fill_for(colour)
