"""What reading a schedule file gives: assignments by code and the problems found."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from resched.core.export_safety import FORMULA_STARTS

MAX_PROBLEMS = 200  # a wrong file could give one per cell: the first ones say enough


class RowLike(Protocol):
    @property
    def number(self) -> int: ...
    @property
    def cells(self) -> Sequence[str]: ...


class SheetLike(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def rows(self) -> Sequence[RowLike]: ...


@dataclass(frozen=True, slots=True)
class KnownCodes:
    """The program's person codes (of the academic year) and shift type codes."""

    people: Collection[str]
    shifts: Collection[str]


@dataclass(frozen=True, slots=True, order=True)
class FileAssignment:
    day: dt.date
    person: str
    shift: str


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the file. ``row`` is the 1-based row (line of a CSV), None for the
    whole sheet; ``column`` a letter ("D"), or for an interchange document the field's path."""

    sheet: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = [f"sheet {self.sheet}"] if self.sheet else []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}" if self.column.isalpha() else self.column)
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass(slots=True)
class Collected:
    """Mutable while reading; ``parsed`` freezes it."""

    assignments: list[FileAssignment] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    days: set[dt.date] = field(default_factory=set)
    dropped: int = 0

    def problem(self, sheet: str, row: int | None, column: str, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(sheet, row, column, message))
        else:
            self.dropped += 1

    def parsed(self) -> ParsedFile:
        problems = list(self.problems)
        if self.dropped:
            problems.append(Problem("", None, "", f"{self.dropped} more problems not listed"))
        start = min(self.days) if self.days else None
        end = max(self.days) if self.days else None
        return ParsedFile(tuple(sorted(self.assignments)), tuple(problems), start, end)


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """The assignments (sorted by day, person, shift), the problems, and the range the file
    covers (every day it has a column or a row for, empty days included)."""

    assignments: tuple[FileAssignment, ...]
    problems: tuple[Problem, ...]
    start: dt.date | None
    end: dt.date | None


def cell_code(text: str) -> str:
    """A code cell as the exports write it: stripped, and without the apostrophe that
    neutralises a formula-like first character (core/export_safety)."""
    text = text.strip()
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def read_day(text: str) -> dt.date | None:
    """A header or cell date: "YYYY-MM-DD", or a date-time at midnight that a spreadsheet made
    of it; None when it is not a date."""
    text = text.strip()
    head, rest = text[:10], text[10:]
    if rest and rest.lstrip("T ").strip("0:.") != "":
        return None
    try:
        return dt.date.fromisoformat(head)
    except ValueError:
        return None
