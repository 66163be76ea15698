"""What every resched workbook shares: safe text cells, sheet names Excel accepts, the print
setup (landscape, one page wide, header rows on every page, title and footer), the
"Legend" sheet, and the bytes.

Every text cell goes through ``neutralise_cell``: a spreadsheet would run a cell starting
with = + - @ (or a tab or CR) as a formula, so such a value is written behind an apostrophe,
as text. Nothing here ever writes a formula.

openpyxl (and Pillow, which it loads) is imported when a workbook is written, not when the
web process or a CLI command starts: it takes about 0.4 s to import.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from resched.core.colours import normalise_hex, text_colour_for
from resched.core.export_safety import neutralise_cell
from resched.io.tables import column_letter

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.worksheet import Worksheet

LEGEND_SHEET = "Legend"
LEGEND_HEADERS = ("Code", "Name", "Start", "End", "Kind")
PERSON_HEADERS = ("Code", "Name", "Level")
DAY_FORMAT = "ddd d mmm"
DATE_FORMAT = "yyyy-mm-dd"
TIME_FORMAT = "hh:mm"
MAX_SHEET_NAME = 31
# Excel refuses these in a sheet name; a name may not start or end with an apostrophe either.
_SHEET_NAME_UNSAFE = re.compile(r"[\[\]:*?/\\]")
# The control characters XML 1.0 cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE).
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


@cache
def bold() -> Font:
    from openpyxl.styles import Font

    return Font(bold=True)


@cache
def title_font() -> Font:
    from openpyxl.styles import Font

    return Font(bold=True, size=13)


@cache
def centred() -> Alignment:
    from openpyxl.styles import Alignment

    return Alignment(horizontal="center", vertical="center")


@dataclass(frozen=True, slots=True)
class RowPerson:
    """The first three columns of a person's row: code, name, and level as displayed
    ("PGY-2", "Faculty")."""

    code: str
    name: str
    level: str


@dataclass(frozen=True, slots=True)
class LegendEntry:
    """A code in the cells: a shift type (with its local start and end) or a rotation
    (without times, with its colour)."""

    code: str
    name: str
    kind: str
    start: dt.time | None = None
    end: dt.time | None = None
    colour: str | None = None


def text(value: str) -> str:
    """A cell's text: never read as a formula, without the control characters the xlsx XML
    cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", neutralise_cell(value))


def sheet_name(label: str, taken: Iterable[str] = ()) -> str:
    """``label`` as a sheet name Excel accepts (31 characters, none of []:*?/\\), unique
    (case-insensitively, as Excel compares) among ``taken``."""
    cleaned = ILLEGAL_CHARACTERS_RE.sub("", _SHEET_NAME_UNSAFE.sub("-", label)).strip().strip("'")
    base = cleaned[:MAX_SHEET_NAME].strip() or "Sheet"
    used = {t.casefold() for t in taken}
    name, n = base, 1
    while name.casefold() in used or name.casefold() == LEGEND_SHEET.casefold():
        n += 1
        suffix = f" ({n})"
        name = base[: MAX_SHEET_NAME - len(suffix)] + suffix
    return name


def fill_for(colour: str) -> tuple[PatternFill, Font]:
    """A solid background of ``colour`` (made safe) and the text colour that reads on it."""
    from openpyxl.styles import Font, PatternFill

    background = normalise_hex(colour)
    fill = PatternFill(fill_type="solid", fgColor="FF" + background[1:].upper())
    return fill, Font(color="FF" + text_colour_for(background)[1:].upper())


def write_title(sheet: Worksheet, title: str) -> None:
    cell = sheet.cell(row=1, column=1, value=text(title))
    cell.font = title_font()


def write_person_headers(sheet: Worksheet, row: int) -> None:
    for column, header in enumerate(PERSON_HEADERS, start=1):
        sheet.cell(row=row, column=column, value=header).font = bold()
    sheet.column_dimensions["A"].width = 10
    sheet.column_dimensions["B"].width = 24
    sheet.column_dimensions["C"].width = 9


def write_person(sheet: Worksheet, row: int, person: RowPerson) -> None:
    for column, value in enumerate((person.code, person.name, person.level), start=1):
        sheet.cell(row=row, column=column, value=text(value))


def set_widths(sheet: Worksheet, first: int, last: int, width: float) -> None:
    for column in range(first, last + 1):
        sheet.column_dimensions[column_letter(column - 1)].width = width


def set_up_print(sheet: Worksheet, *, title: str, footer: str, header_rows: int) -> None:
    """Landscape, fit to one page wide (as many pages down as it takes), the header rows and
    the person columns on every page, the title in the page header and ``footer`` with the
    page number at the foot."""
    from openpyxl.worksheet.properties import PageSetupProperties

    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = f"1:{header_rows}"
    sheet.print_title_cols = "A:C"
    header, foot = sheet.oddHeader, sheet.oddFooter
    assert header is not None
    assert foot is not None
    header.center.text = _header_text(title)
    foot.left.text = _header_text(footer)
    foot.right.text = "Page &P of &N"


def add_legend(book: Workbook, title: str, entries: Sequence[LegendEntry]) -> Worksheet:
    """The "Legend" sheet: Code, Name, Start, End, Kind, one row per code."""
    sheet: Worksheet = book.create_sheet(LEGEND_SHEET)
    write_title(sheet, title)
    for column, header in enumerate(LEGEND_HEADERS, start=1):
        sheet.cell(row=2, column=column, value=header).font = bold()
    for row, entry in enumerate(entries, start=3):
        code = sheet.cell(row=row, column=1, value=text(entry.code))
        if entry.colour is not None:
            code.fill, code.font = fill_for(entry.colour)
        sheet.cell(row=row, column=2, value=text(entry.name))
        for column, time in ((3, entry.start), (4, entry.end)):
            if time is not None:
                sheet.cell(row=row, column=column, value=time).number_format = TIME_FORMAT
        sheet.cell(row=row, column=5, value=text(entry.kind))
    for letter, width in zip("ABCDE", (10, 28, 8, 8, 16), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A3"
    set_up_print(sheet, title=title, footer=title, header_rows=2)
    sheet.print_title_cols = None
    return sheet


def new_book() -> Workbook:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]  # every sheet is named by its writer
    return book


def to_bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _header_text(value: str) -> str:
    # "&" starts a header/footer code (page number, font); a literal one is doubled.
    return text(value).replace("&", "&&")
