"""Cells come back as the text a person typed, with the row and column a spreadsheet shows;
formulas are refused naming the cell; headers are checked by name."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from openpyxl import Workbook

from resched.core.errors import Invalid
from resched.io.tables import Row, Sheet, cell_text, column_letter, read_sheets, records
from resched.io.uploads import FileKind, check_upload

ALL = set(FileKind)


def upload_of(book: Workbook, name: str = "book.xlsx"):  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    book.save(buffer)
    return check_upload(filename=name, data=buffer.getvalue(), allowed=ALL)


def test_workbook_cells_as_text_with_their_row_numbers() -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "2026-07"
    sheet.append(["Code", "Name", dt.date(2026, 7, 1), dt.datetime(2026, 7, 2, 7, 30)])
    sheet.append(["R1", "Zoë Nguyễn", "AM + PM", None])
    sheet["A5"] = "far"
    sheet["C5"] = 3.0
    sheet["D5"] = dt.time(19, 0)
    second = book.create_sheet("Legend")
    second.append(["Code", True, 2.5])
    sheets = read_sheets(upload_of(book))
    assert [s.name for s in sheets] == ["2026-07", "Legend"]
    assert sheets[0].rows == (
        Row(1, ("Code", "Name", "2026-07-01", "2026-07-02T07:30")),
        Row(2, ("R1", "Zoë Nguyễn", "AM + PM")),
        Row(5, ("far", "", "3", "19:00")),
    )
    assert sheets[1].rows == (Row(1, ("Code", "TRUE", "2.5")),)


def test_a_formula_cell_is_refused_naming_sheet_and_cell() -> None:
    book = Workbook()
    book.active.title = "People"
    book.active["A1"] = "code"
    book.active["C4"] = '=HYPERLINK("http://x","y")'
    with pytest.raises(Invalid) as caught:
        read_sheets(upload_of(book))
    assert "sheet People, cell C4 holds a formula" in caught.value.message
    assert caught.value.details == {"field": "file", "sheet": "People", "row": 4, "column": "C"}


def test_a_csv_cell_starting_with_equals_is_a_formula_too() -> None:
    upload = check_upload(filename="p.csv", data=b"code,name\nA,=cmd|' /C calc'!A0\n", allowed=ALL)
    with pytest.raises(Invalid) as caught:
        read_sheets(upload)
    assert "p.csv, cell B2 holds a formula" in caught.value.message


def test_csv_delimiters_bom_and_blank_rows() -> None:
    data = '\ufeffcode;name\r\nA;Bé\r\n\r\n;\r\nC;"D; E"\r\n'.encode()
    (sheet,) = read_sheets(check_upload(filename="p.csv", data=data, allowed=ALL))
    assert sheet.rows == (Row(1, ("code", "name")), Row(2, ("A", "Bé")), Row(5, ("C", "D; E")))


def test_a_declared_dimension_is_not_trusted() -> None:
    book = Workbook()
    book.active["A1"] = "code"
    buffer = io.BytesIO()
    book.save(buffer)
    # Rewrite the sheet's declared dimension to the whole grid: reading must not pad to it.
    source = zipfile.ZipFile(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data = re.sub(
                    rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:XFD1048576"/>', data
                )
                assert b"XFD1048576" in data
            target.writestr(name, data)
    upload = check_upload(filename="b.xlsx", data=out.getvalue(), allowed=ALL)
    assert read_sheets(upload)[0].rows == (Row(1, ("code",)),)


def test_records_by_header_with_column_letters() -> None:
    sheet = Sheet("p.csv", (Row(1, (" Code ", "PGY", "Start-Date")), Row(3, ("A", " 2 ", ""))))
    (record,) = records(sheet, required=["code", "pgy"], optional=["start_date", "email"])
    assert record.row == 3
    assert record.values == {"code": "A", "pgy": "2", "start_date": ""}
    assert record.columns == {"code": "A", "pgy": "B", "start_date": "C"}


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ((Row(1, ("code",)),), "missing column pgy (columns found: code)"),
        ((Row(1, ("code", "pgy", "colour")),), "cell C1: unknown column 'colour'"),
        ((Row(1, ("code", "Code", "pgy")),), "column 'Code' appears twice"),
        ((Row(1, ("code", "pgy")), Row(2, ("A", "1", "x"))), "cell C2: a value in a column"),
        ((), "sheet s is empty"),
    ],
)
def test_header_problems_are_named(rows: tuple[Row, ...], expected: str) -> None:
    with pytest.raises(Invalid) as caught:
        records(Sheet("s", rows), required=["code", "pgy"])
    assert expected in caught.value.message


def test_cell_text_and_column_letters() -> None:
    assert cell_text(None) == ""
    assert cell_text(12.0) == "12"
    assert cell_text(0.5) == "0.5"
    assert cell_text(dt.datetime(2026, 7, 1)) == "2026-07-01"
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]
