"""What every import kind shares: the checked rows of a preview, the problems by sheet, row
and column, and the readers of cell text (yes/no, whole numbers, dates, code lists).

A kind turns each record of the file into a staged row - a plain JSON object, stored in the
batch and applied exactly as previewed:
``{"sheet", "row", "action": "create" | "update" | "unchanged", "key", "id", "values",
"before", "changes": [{"field", "before", "after"}]}``; ``values`` is what apply writes,
``before`` the stored record it replaces (apply refuses when it changed since the preview).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from resched.core.errors import Invalid
from resched.io.tables import Record, Sheet, read_sheets, records
from resched.io.uploads import Upload
from resched.services.common import fail

type StagedRow = dict[str, Any]
type ProblemRow = dict[str, Any]

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
YES = frozenset({"yes", "y", "true", "1", "x"})
NO = frozenset({"no", "n", "false", "0", ""})
LIST_SEPARATOR = re.compile(r"[\s;,]+")


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a kind's file: its header, whether it must be there, and what it holds
    (the text of the template and of the user guide's column table)."""

    name: str
    required: bool
    meaning: str
    example: str = ""


@dataclass(slots=True)
class Staged:
    """A kind's preview of one file: the rows apply will write and the problems found."""

    rows: list[StagedRow] = field(default_factory=list)
    problems: list[ProblemRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Records apply writes, when not one per row (a schedule's draft holds its shifts).
    writes: int | None = None

    def summary(self) -> dict[str, int]:
        counts = {CREATE: 0, UPDATE: 0, UNCHANGED: 0}
        for row in self.rows:
            counts[row["action"]] += 1
        writes = counts[CREATE] + counts[UPDATE] if self.writes is None else self.writes
        return {**counts, "problems": len(self.problems), "rows": len(self.rows), "writes": writes}


def problem(sheet: str, row: int, column: str, field_name: str, message: str) -> ProblemRow:
    return {"sheet": sheet, "row": row, "column": column, "field": field_name, "message": message}


def problem_of(
    sheet: Sheet, record: Record, exc: Invalid, columns_by_field: Mapping[str, str]
) -> ProblemRow:
    """An Invalid raised for one record, placed at the column its field came from."""
    name = str(exc.details.get("field", ""))
    header = columns_by_field.get(name, name)
    return problem(sheet.name, record.row, record.columns.get(header, ""), header, exc.message)


def first_sheet(upload: Upload, *, notes: list[str]) -> Sheet:
    """The first worksheet (a CSV is one); later worksheets are named in a note, not read."""
    sheets = read_sheets(upload)
    if not sheets or not sheets[0].rows:
        fail("file", "the file holds no rows: the first row must name the columns")
    if len(sheets) > 1:
        notes.append(
            "only the first worksheet was read; ignored: " + ", ".join(s.name for s in sheets[1:])
        )
    return sheets[0]


def read_records(sheet: Sheet, columns: tuple[Column, ...]) -> tuple[Record, ...]:
    required = [c.name for c in columns if c.required]
    optional = [c.name for c in columns if not c.required]
    return records(sheet, required=required, optional=optional)


def stage_records(
    sheet: Sheet,
    found: tuple[Record, ...],
    *,
    key_of: Callable[[Record], str],
    stage_one: Callable[[Record], StagedRow],
    columns_by_field: Mapping[str, str],
    key_column: str,
) -> Staged:
    """Each record staged by ``stage_one``; its Invalid becomes a problem at its column, and
    a key seen on an earlier row a problem at the key column."""
    staged = Staged()
    seen: dict[str, int] = {}
    for record in found:
        key = key_of(record)
        if key and key in seen:
            message = f"{key} is already on row {seen[key]} of the file"
            column = record.columns.get(key_column, "")
            staged.problems.append(problem(sheet.name, record.row, column, key_column, message))
            continue
        seen[key] = record.row
        try:
            staged.rows.append({"sheet": sheet.name, "row": record.row, **stage_one(record)})
        except Invalid as exc:
            staged.problems.append(problem_of(sheet, record, exc, columns_by_field))
    return staged


def changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The fields whose values differ, in the order of ``after``."""
    return [
        {"field": name, "before": before.get(name), "after": value}
        for name, value in after.items()
        if name != "id" and before.get(name) != value
    ]


def yes_no(value: str, field_name: str) -> bool:
    text = value.strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    fail(field_name, f"expected yes or no, got {value!r}")


def whole_number(value: str, field_name: str) -> int:
    text = value.strip()
    if not re.fullmatch(r"[+-]?\d{1,6}", text):
        fail(field_name, f"expected a whole number, got {value!r}")
    return int(text)


def day(value: str, field_name: str) -> dt.date:
    text = value.strip()
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    fail(field_name, f"expected a date YYYY-MM-DD, got {value!r}")


def code_list(value: str) -> tuple[str, ...]:
    """``"A B"``, ``"A;B"`` or ``"A, B"`` -> ``("A", "B")`` (order kept, repeats dropped)."""
    return tuple(dict.fromkeys(part for part in LIST_SEPARATOR.split(value.strip()) if part))
