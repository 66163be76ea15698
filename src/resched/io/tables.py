"""The cells of a checked upload as text, sheet by sheet, with the row numbers and column letters
a spreadsheet shows, so every message about a cell can say where it is.

Formulas are refused, not evaluated: a workbook's cached result may be stale or absent, and a
CSV cell starting with ``=`` is a formula to the spreadsheet that will open it next.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from resched.io.uploads import FileKind, Upload, decode_text, refuse

MAX_ROWS = 100_000
MAX_COLUMNS = 1_000
_DELIMITERS = ",;\t"


@dataclass(frozen=True, slots=True)
class Row:
    number: int  # 1-based, as the spreadsheet numbers it
    cells: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Sheet:
    name: str
    rows: tuple[Row, ...]  # rows with no value left out; numbers keep their gaps


@dataclass(frozen=True, slots=True)
class Record:
    row: int
    values: Mapping[str, str]  # by normalised header
    columns: Mapping[str, str]  # normalised header -> column letter


def column_letter(index: int) -> str:
    """The spreadsheet letter of the 0-based column ``index``: 0 -> A, 26 -> AA."""
    letters = ""
    number = index + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def read_sheets(upload: Upload) -> tuple[Sheet, ...]:
    if upload.kind is FileKind.CSV:
        return (_read_csv(upload),)
    if upload.kind is FileKind.XLSX:
        return _read_workbook(upload)
    refuse(f"{upload.name} is a JSON document, not a table")


def records(
    sheet: Sheet, *, required: Collection[str], optional: Collection[str] = ()
) -> tuple[Record, ...]:
    """The rows after the header row as records, or :class:`Invalid` naming the missing,
    unknown or repeated column."""
    if not sheet.rows:
        refuse(f"sheet {sheet.name} is empty: expected a header row", sheet=sheet.name)
    header, *body = sheet.rows
    columns = _header(sheet.name, header, set(required) | set(optional))
    missing = [name for name in required if name not in columns]
    if missing:
        found = ", ".join(columns) or "none"
        refuse(
            f"sheet {sheet.name}: missing column {', '.join(missing)} (columns found: {found})",
            sheet=sheet.name,
        )
    return tuple(_record(sheet.name, row, columns) for row in body)


def normalise_header(text: str) -> str:
    return "_".join(text.strip().lower().replace("-", " ").split())


def _header(sheet: str, header: Row, known: set[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, cell in enumerate(header.cells):
        name = normalise_header(cell)
        if not name:
            continue
        where = f"sheet {sheet}, cell {column_letter(index)}{header.number}"
        if name not in known:
            expected = ", ".join(sorted(known))
            refuse(
                f"{where}: unknown column {cell.strip()!r}; expected {expected}",
                sheet=sheet,
                row=header.number,
                column=column_letter(index),
            )
        if name in columns:
            refuse(f"{where}: column {cell.strip()!r} appears twice", sheet=sheet)
        columns[name] = index
    return columns


def _record(sheet: str, row: Row, columns: Mapping[str, int]) -> Record:
    used = set(columns.values())
    for index, cell in enumerate(row.cells):
        if cell.strip() and index not in used:
            refuse(
                f"sheet {sheet}, cell {column_letter(index)}{row.number}: a value in a column "
                "without a header",
                sheet=sheet,
                row=row.number,
                column=column_letter(index),
            )
    values = {
        name: (row.cells[index].strip() if index < len(row.cells) else "")
        for name, index in columns.items()
    }
    letters = {name: column_letter(index) for name, index in columns.items()}
    return Record(row=row.number, values=values, columns=letters)


def _read_csv(upload: Upload) -> Sheet:
    text = decode_text(upload.name, upload.data)
    reader = csv.reader(io.StringIO(text, newline=""), dialect=_dialect(text))
    rows = []
    try:
        for number, cells in enumerate(reader, start=1):
            _check_size(upload.name, number, len(cells))
            for index, cell in enumerate(cells):
                if cell.lstrip().startswith("="):
                    _formula(upload.name, upload.name, number, index)
            if any(cell.strip() for cell in cells):
                rows.append(Row(number=number, cells=tuple(cells)))
    except csv.Error as error:
        refuse(f"{upload.name}, row {reader.line_num}: {error}", row=reader.line_num)
    return Sheet(name=upload.name, rows=tuple(rows))


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(text[:4096].split("\n", 1)[0], delimiters=_DELIMITERS)
    except csv.Error:  # one column, or nothing to tell by
        return csv.excel


def _read_workbook(upload: Upload) -> tuple[Sheet, ...]:
    # Imported on use: openpyxl (with Pillow) takes about 0.4 s to import.
    from openpyxl import load_workbook
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:  # pragma: no cover - defusedxml is a locked dependency
        raise ImportError("openpyxl must parse XML through defusedxml: install defusedxml")
    try:
        workbook = load_workbook(
            io.BytesIO(upload.data),
            read_only=True,
            data_only=False,
            keep_vba=False,
            keep_links=False,
        )
    except Exception as error:  # openpyxl raises many types for a malformed part
        refuse(f"{upload.name} could not be read as a workbook ({type(error).__name__})")
    try:
        sheets = []
        for sheet in workbook.worksheets:
            # The dimension a file declares is not trusted: iterate what the file holds.
            sheet.reset_dimensions()
            sheets.append(
                Sheet(name=sheet.title, rows=tuple(_sheet_rows(sheet.title, sheet.iter_rows())))
            )
        return tuple(sheets)
    finally:
        workbook.close()


def _sheet_rows(sheet: str, rows: Iterable[tuple[Any, ...]]) -> Iterator[Row]:
    for position, cells in enumerate(rows, start=1):
        number = next((c.row for c in cells if getattr(c, "row", None)), position)
        _check_size(f"sheet {sheet}", number, len(cells))
        texts = []
        for index, cell in enumerate(cells):
            if getattr(cell, "data_type", None) == "f":
                _formula(f"sheet {sheet}", sheet, number, index)
            texts.append(cell_text(cell.value))
        while texts and not texts[-1]:
            texts.pop()
        if texts:
            yield Row(number=number, cells=tuple(texts))


def cell_text(value: object) -> str:
    """A cell's value as the text a person typed: a date as YYYY-MM-DD, a time as HH:MM,
    a whole number without a decimal point."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat(timespec="minutes")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _check_size(where: str, number: int, width: int) -> None:
    if number > MAX_ROWS:
        refuse(f"{where} has more than {MAX_ROWS:,} rows", row=number)
    if width > MAX_COLUMNS:
        refuse(f"{where}, row {number} has more than {MAX_COLUMNS:,} columns", row=number)


def _formula(where: str, sheet: str, number: int, index: int) -> None:
    letter = column_letter(index)
    refuse(
        f"{where}, cell {letter}{number} holds a formula; formulas are not imported: "
        "replace it by its value (copy, then paste values)",
        sheet=sheet,
        row=number,
        column=letter,
    )
