"""Reading schedule files: the grid workbook and the CSV of assignments, every problem named by
sheet, row and column."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from resched.core.schedule_files import (
    PLAN_WORKBOOK,
    FileAssignment,
    KnownCodes,
    read_csv_rows,
    read_grid,
)
from resched.core.schedule_files.grid import column_letter

CODES = KnownCodes(people={"r1", "r2", "-odd"}, shifts={"AM", "PM", "CALL"})
D1, D2, D3 = dt.date(2026, 7, 1), dt.date(2026, 7, 2), dt.date(2026, 7, 3)


@dataclass(frozen=True)
class Row:
    number: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: tuple[Row, ...]


def sheet(name: str, *rows: list[str], first: int = 1) -> Sheet:
    return Sheet(name, tuple(Row(first + i, tuple(r)) for i, r in enumerate(rows)))


HEADER = ["Code", "Name", "Level", "2026-07-01", "2026-07-02", "2026-07-03"]


def grid(*people: list[str], header: list[str] = HEADER, name: str = "2026-07") -> Sheet:
    return sheet(name, ["July 2026"], header, *people)


def where(parsed: object) -> list[tuple[str, int | None, str]]:
    return [(p.sheet, p.row, p.column) for p in parsed.problems]  # type: ignore[attr-defined]


def test_cells_become_assignments_and_the_range_covers_every_dated_column() -> None:
    parsed = read_grid(
        [
            grid(["r1", "Ada", "PGY-1", "AM + PM", "", "CALL"], ["r2", "Ben", "PGY-2", "", "PM"]),
            sheet("Legend", ["Code", "Name", "Start", "End", "Kind"], ["ZZZ", "unknown", "", ""]),
        ],
        CODES,
    )
    assert parsed.problems == ()
    assert parsed.assignments == (
        FileAssignment(D1, "r1", "AM"),
        FileAssignment(D1, "r1", "PM"),
        FileAssignment(D2, "r2", "PM"),
        FileAssignment(D3, "r1", "CALL"),
    )
    assert (parsed.start, parsed.end) == (D1, D3)


def test_unknown_codes_name_row_and_column() -> None:
    parsed = read_grid(
        [grid(["r1", "Ada", "", "AM", "NOPE"], ["zz", "Who", "", "AM"])],
        CODES,
    )
    assert [str(p) for p in parsed.problems] == [
        'sheet 2026-07, row 3, column E: unknown shift type "NOPE"',
        'sheet 2026-07, row 4, column A: unknown person "zz"',
    ]


def test_header_and_row_problems() -> None:
    header = ["Code", "Name", "Level", "2026-07-01", "Monday", "2026-07-01", ""]
    parsed = read_grid(
        [
            grid(
                ["r1", "", "", "AM", "PM", "PM", "AM"],
                ["r1", "", "", "PM"],
                ["", "", "", "AM"],
                ["r2", "", "", "AM + ", "", "", ""],
                ["r2", "", "", "PM + PM"],
                header=header,
            )
        ],
        CODES,
    )
    messages = {(p.row, p.column): p.message for p in parsed.problems}
    assert messages[(2, "E")] == '"Monday" is not a date (YYYY-MM-DD)'
    assert "2026-07-01 appears twice (also sheet 2026-07, column D)" in messages[(2, "F")]
    assert messages[(3, "G")] == "shifts under a column with no date"
    assert messages[(4, "A")] == '"r1" already has row 3'
    assert messages[(5, "A")] == "shifts without a person code"
    assert "empty shift code" in messages[(6, "D")]
    assert messages[(7, "A")] == '"r2" already has row 6'
    assert (3, "E") not in messages
    assert (3, "F") not in messages


def test_the_same_day_on_two_sheets_and_a_repeated_shift() -> None:
    parsed = read_grid(
        [grid(["r1", "", "", "AM + AM"]), grid(["r2", "", "", "PM"], name="second")], CODES
    )
    assert parsed.assignments == (FileAssignment(D1, "r1", "AM"),)
    assert [str(p) for p in parsed.problems] == [
        'sheet 2026-07, row 3, column D: "AM" twice on 2026-07-01',
        *(
            f"sheet second, row 2, column {c}: 2026-07-0{n} appears twice "
            f"(also sheet 2026-07, column {c})"
            for n, c in ((1, "D"), (2, "E"), (3, "F"))
        ),
    ]


def test_a_plan_workbook_is_refused_as_a_plan() -> None:
    # The plan export's layout: block labels in row 2, block starts (dates) in row 3.
    plan = sheet(
        "Plan 2026-27",
        ["Rotation plan"],
        ["Code", "Name", "Level", "1", "2", "3"],
        ["", "", "", "2026-07-01", "2026-07-29", "2026-08-26"],
        ["r1", "Ada", "PGY-1", "WARDS", "ICU / CLINIC", "CLINIC"],
    )
    legend = sheet("Legend", ["Rotations"], ["Code", "Name"], ["WARDS", "Wards"])
    parsed = read_grid([plan, legend], CODES)
    assert [p.message for p in parsed.problems] == [PLAN_WORKBOOK]
    assert parsed.assignments == ()


def test_a_workbook_without_a_header_says_where_it_looked() -> None:
    parsed = read_grid([sheet("Sheet1", ["who", "when"], ["r1", "2026-07-01"])], CODES)
    assert [str(p) for p in parsed.problems] == [
        'sheet Sheet1, column A: no header row with "Code" in column A (row 2)'
    ]


def test_dates_as_spreadsheets_write_them_and_neutralised_codes() -> None:
    header = ["Code", "Name", "Level", "2026-07-01 00:00:00", "2026-07-02T00:00"]
    parsed = read_grid([grid(["'-odd", "", "", "AM", "PM"], header=header)], CODES)
    assert parsed.problems == ()
    assert {(a.person, a.day) for a in parsed.assignments} == {("-odd", D1), ("-odd", D2)}


EXPORT_HEADER = [
    "date",
    "person code",
    "person name",
    "shift code",
    "shift name",
    "start local",
    "end local",
    "source",
]


def test_the_export_columns_and_the_minimal_ones() -> None:
    export = sheet(
        "a.csv",
        EXPORT_HEADER,
        ["2026-07-01", "r1", "Ada", "AM", "Morning", "x", "y", "generated"],
        ["2026-07-03", "'-odd", "Odd", "CALL", "Call", "x", "y", "manual"],
    )
    minimal = sheet(
        "b.csv",
        ["Date", "Person_Code", "shift_code"],
        ["2026-07-01", "r1", "AM"],
        ["2026-07-03", "-odd", "CALL"],
    )
    for parsed in (read_csv_rows(export, CODES), read_csv_rows(minimal, CODES)):
        assert parsed.problems == ()
        assert parsed.assignments == (
            FileAssignment(D1, "r1", "AM"),
            FileAssignment(D3, "-odd", "CALL"),
        )
        assert (parsed.start, parsed.end) == (D1, D3)


def test_csv_problems_by_row_and_column() -> None:
    parsed = read_csv_rows(
        sheet(
            "a.csv",
            ["date", "person_code", "shift_code"],
            ["July 1", "r1", "AM"],
            ["2026-07-01", "zz", "AM"],
            ["2026-07-01", "r1", "NOPE"],
            ["2026-07-02", "r1", "AM"],
            ["2026-07-02", "r1", "AM"],
            ["2026-07-02", "", ""],
        ),
        CODES,
    )
    assert [str(p) for p in parsed.problems] == [
        'sheet a.csv, row 2, column A: "July 1" is not a date (YYYY-MM-DD)',
        'sheet a.csv, row 3, column B: unknown person "zz"',
        'sheet a.csv, row 4, column C: unknown shift type "NOPE"',
        "sheet a.csv, row 6: repeats row 5 (2026-07-02, r1, AM)",
        "sheet a.csv, row 7, column B: no person code",
        "sheet a.csv, row 7, column C: no shift code",
    ]


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (["date", "person_code"], "row 1: missing column shift_code in the header"),
        (
            ["date", "person_code", "shift_code", "colour"],
            'row 1, column D: unknown column "colour"',
        ),
        (["date", "date", "person_code", "shift_code"], 'column B: column "date" appears twice'),
    ],
)
def test_csv_header_problems(header: list[str], message: str) -> None:
    parsed = read_csv_rows(sheet("a.csv", header, ["2026-07-01", "r1", "AM"]), CODES)
    assert message in str(parsed.problems[0])
    assert parsed.assignments == ()


def test_an_empty_csv() -> None:
    assert "empty" in str(read_csv_rows(sheet("a.csv"), CODES).problems[0])
    only_header = read_csv_rows(sheet("a.csv", ["date", "person_code", "shift_code"]), CODES)
    assert "no assignment rows" in str(only_header.problems[0])


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 3, 25, 26, 27, 701, 702)] == [
        "A",
        "D",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]
