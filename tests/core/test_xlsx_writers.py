"""The xlsx writers (resched.io): read back with openpyxl, cell by cell."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from resched.io.xlsx_grid import GridSheet, GridWorkbook, write_grid_workbook
from resched.io.xlsx_plan import PlanBlock, PlanWorkbook, write_plan_workbook
from resched.io.xlsx_sheets import LegendEntry, RowPerson, sheet_name

DAYS = (dt.date(2026, 7, 1), dt.date(2026, 7, 2), dt.date(2026, 7, 3))
PEOPLE = (
    RowPerson("R1", "Ann Able", "PGY-1"),
    RowPerson("=cmd", "+SUM(A1)", "Faculty"),
)
LEGEND = (
    LegendEntry("DAY", "Ward day", "work", dt.time(7), dt.time(17)),
    LegendEntry("@NIGHT", "-night", "in_house_call", dt.time(19), dt.time(7)),
)


def _open(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _grid() -> bytes:
    sheet = GridSheet(
        name="2026-07",
        title="Demo: 1 Jul 2026 to 3 Jul 2026",
        days=DAYS,
        shifts={
            ("R1", DAYS[0]): ("DAY", "@NIGHT"),
            ("=cmd", DAYS[2]): ("DAY",),
            ("=cmd", DAYS[1]): ("@NIGHT",),
        },
    )
    return write_grid_workbook(GridWorkbook("Demo & Co", "July 2026", PEOPLE, (sheet,), LEGEND))


def test_grid_layout_headers_and_cells() -> None:
    book = _open(_grid())
    assert book.sheetnames == ["2026-07", "Legend"]
    ws: Worksheet = book["2026-07"]
    assert ws["A1"].value == "Demo: 1 Jul 2026 to 3 Jul 2026"
    assert [ws.cell(2, c).value for c in (1, 2, 3)] == ["Code", "Name", "Level"]
    assert [ws.cell(2, 4 + i).value.date() for i in range(3)] == list(DAYS)
    assert ws["D2"].number_format == "ddd d mmm"
    assert [ws.cell(3, c).value for c in (1, 2, 3)] == ["R1", "Ann Able", "PGY-1"]
    assert ws["D3"].value == "DAY + @NIGHT"  # "@" only matters at the start of a cell
    assert ws["E3"].value is None
    assert ws["F4"].value == "DAY"
    assert ws.max_row == 4


def test_grid_neutralises_formula_text_and_writes_no_formula() -> None:
    ws = _open(_grid())["2026-07"]
    assert ws["A4"].value == "'=cmd"
    assert ws["B4"].value == "'+SUM(A1)"
    assert ws["E4"].value == "'@NIGHT"
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f"


def test_grid_freeze_and_print_setup() -> None:
    ws = _open(_grid())["2026-07"]
    assert ws.freeze_panes == "D3"
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.print_title_rows == "$1:$2"
    assert "Demo: 1 Jul 2026" in ws.oddHeader.center.text
    assert ws.oddFooter.left.text == "Demo && Co - July 2026"  # "&" escaped for the footer


def test_grid_legend_sheet() -> None:
    legend = _open(_grid())["Legend"]
    assert [legend.cell(2, c).value for c in range(1, 6)] == [
        "Code",
        "Name",
        "Start",
        "End",
        "Kind",
    ]
    assert [legend.cell(3, c).value for c in (1, 2, 5)] == ["DAY", "Ward day", "work"]
    assert legend["C3"].value == dt.time(7)
    assert legend["D3"].value == dt.time(17)
    assert [legend.cell(4, c).value for c in (1, 2)] == ["'@NIGHT", "'-night"]


def test_year_workbook_one_sheet_per_block_with_unique_safe_names() -> None:
    sheets = tuple(
        GridSheet(name=label, title=label, days=DAYS) for label in ("Block 1: Jul", "Block 1/Jul")
    )
    book = _open(write_grid_workbook(GridWorkbook("P", "2026-2027", PEOPLE, sheets, LEGEND)))
    assert book.sheetnames == ["Block 1- Jul", "Block 1-Jul", "Legend"]
    for name in book.sheetnames[:2]:
        assert book[name].freeze_panes == "D3"
        assert book[name]["A3"].value == "R1"


@pytest.mark.parametrize(
    ("label", "taken", "expected"),
    [
        ("A" * 40, (), "A" * 31),
        ("a[b]c:d*e?f/g\\h", (), "a-b-c-d-e-f-g-h"),
        ("'quoted'", (), "quoted"),
        ("", (), "Sheet"),
        ("Legend", (), "Legend (2)"),
        ("Block 1", ("block 1",), "Block 1 (2)"),
        ("B" * 31, ("B" * 31,), "B" * 27 + " (2)"),
    ],
)
def test_sheet_names_excel_accepts(label: str, taken: tuple[str, ...], expected: str) -> None:
    assert sheet_name(label, taken) == expected


def _plan() -> bytes:
    blocks = (
        PlanBlock("Block 1", dt.date(2026, 7, 1), dt.date(2026, 7, 28)),
        PlanBlock("Block 2", dt.date(2026, 7, 29), dt.date(2026, 8, 25)),
    )
    return write_plan_workbook(
        PlanWorkbook(
            program_name="Demo",
            title="Demo rotation plan 2026-2027",
            sheet="2026-2027",
            people=PEOPLE,
            blocks=blocks,
            cells={("R1", 0): ("WARD",), ("R1", 1): ("ICU", "WARD"), ("=cmd", 0): ("=X",)},
            colours={"WARD": "#1f77b4", "ICU": "#ffff00", "=X": "javascript:"},
            legend=(LegendEntry("WARD", "Wards", "rotation", colour="#1f77b4"),),
        )
    )


def test_plan_layout_and_colours() -> None:
    book = _open(_plan())
    assert book.sheetnames == ["2026-2027", "Legend"]
    ws = book["2026-2027"]
    assert ws["A1"].value == "Demo rotation plan 2026-2027"
    assert [ws.cell(2, c).value for c in range(1, 6)] == [
        "Code",
        "Name",
        "Level",
        "Block 1",
        "Block 2",
    ]
    assert ws["D3"].value.date() == dt.date(2026, 7, 1)
    assert ws["E3"].value.date() == dt.date(2026, 7, 29)
    assert ws["D4"].value == "WARD"
    assert ws["D4"].fill.fgColor.rgb == "FF1F77B4"
    assert ws["D4"].font.color.rgb == "FFFFFFFF"  # white reads better on dark blue
    assert ws["E4"].value == "ICU / WARD"
    assert ws["E4"].fill.fgColor.rgb == "FFFFFF00"
    assert ws["E4"].font.color.rgb == "FF000000"
    assert ws["D5"].value == "'=X"
    assert ws["D5"].fill.fgColor.rgb == "FFCCCCCC"  # an unsafe colour falls back to grey
    assert ws.freeze_panes == "D4"
    assert ws.print_title_rows == "$1:$3"
    assert ws.page_setup.orientation == "landscape"
    legend = book["Legend"]
    assert legend["A3"].value == "WARD"
    assert legend["A3"].fill.fgColor.rgb == "FF1F77B4"
    assert legend["E3"].value == "rotation"
