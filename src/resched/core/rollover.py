"""Starting the next academic year: the pure parts.

Who moves up and who finishes (``plan_promotions``), the block scheme of the next year from
this year's blocks (``next_scheme``), and the incoming class read from CSV text
(``parse_incoming_csv``). A residency of ``final_pgy`` levels promotes PGY-n to PGY-n+1 and
finishes those at ``final_pgy``; a finishing resident simply gets no level in the next year.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from resched.core.errors import Invalid
from resched.core.model import AcademicYear, BlockScheme, BlockSchemeKind, Person, Role

CSV_COLUMNS = ("code", "name", "email", "pgy")
MAX_INCOMING = 200


@dataclass(frozen=True, slots=True)
class IncomingResident:
    """One resident of the incoming class; ``row`` is their line in pasted CSV (None when
    they came from a form or a JSON list)."""

    code: str
    name: str
    email: str | None
    pgy: int
    row: int | None = None


@dataclass(frozen=True, slots=True)
class Promotion:
    person_id: int
    code: str
    name: str
    pgy: int  # this year's level
    next_pgy: int | None  # None: not in the next year (finished or leaving)


@dataclass(frozen=True, slots=True)
class Promotions:
    promoted: tuple[Promotion, ...]
    graduating: tuple[Promotion, ...]
    leaving: tuple[Promotion, ...]  # named as leaving early, or no longer active


def plan_promotions(
    people: Sequence[Person], *, final_pgy: int, leaving: Collection[str]
) -> Promotions:
    """Residents with a level this year: up one, finished at ``final_pgy``, or leaving."""
    promoted: list[Promotion] = []
    graduating: list[Promotion] = []
    gone: list[Promotion] = []
    for p in sorted(people, key=lambda p: (p.pgy or 0, p.code)):
        if p.role is not Role.RESIDENT or p.pgy is None:
            continue
        if p.code in leaving or not p.active:
            gone.append(Promotion(p.id, p.code, p.name, p.pgy, None))
        elif p.pgy >= final_pgy:
            graduating.append(Promotion(p.id, p.code, p.name, p.pgy, None))
        else:
            promoted.append(Promotion(p.id, p.code, p.name, p.pgy, p.pgy + 1))
    return Promotions(tuple(promoted), tuple(graduating), tuple(gone))


def next_scheme(year: AcademicYear, start: dt.date, end: dt.date) -> BlockScheme:
    """This year's scheme for the next one: as many four-week blocks, calendar months, or the
    same explicit block lengths in order, the last block ending on ``end``."""
    if year.scheme is BlockSchemeKind.FOUR_WEEK:
        return BlockScheme(BlockSchemeKind.FOUR_WEEK, block_count=len(year.blocks))
    if year.scheme is BlockSchemeKind.MONTHLY:
        return BlockScheme(BlockSchemeKind.MONTHLY)
    spans: list[tuple[dt.date, dt.date]] = []
    first = start
    for block in year.blocks[:-1]:
        last = first + dt.timedelta(days=block.days - 1)
        if last >= end:
            break
        spans.append((first, last))
        first = last + dt.timedelta(days=1)
    spans.append((first, end))
    return BlockScheme(BlockSchemeKind.CUSTOM, spans=tuple(spans))


def _csv_error(row: int, column: str, message: str) -> Invalid:
    return Invalid(
        f"row {row}, column {column}: {message}",
        details={"field": "incoming_csv", "row": row, "column": column},
    )


def _is_header(cells: Sequence[str]) -> bool:
    return tuple(c.strip().lower() for c in cells) == CSV_COLUMNS


def parse_incoming_csv(text: str) -> list[IncomingResident]:
    """Rows ``code,name,email,pgy`` (a header row of those names is allowed, blank lines are
    skipped); rows count from 1 as the lines of ``text``. Shape errors name row and column;
    the meaning of the values (codes taken, levels of the program) is checked by the caller."""
    incoming: list[IncomingResident] = []
    reader = csv.reader(io.StringIO(text), strict=True)
    try:
        for cells in reader:
            entry = _row(reader.line_num, cells)
            if entry is not None:
                incoming.append(entry)
            if len(incoming) > MAX_INCOMING:
                raise _csv_error(reader.line_num, "code", f"at most {MAX_INCOMING} residents")
    except csv.Error as exc:
        raise _csv_error(reader.line_num, "code", f"not CSV ({exc})") from None
    return incoming


def _row(index: int, cells: Sequence[str]) -> IncomingResident | None:
    if not any(c.strip() for c in cells) or (index == 1 and _is_header(cells)):
        return None
    if len(cells) != len(CSV_COLUMNS):
        column = CSV_COLUMNS[min(len(cells), len(CSV_COLUMNS) - 1)]
        raise _csv_error(
            index, column, f"expected 4 columns (code,name,email,pgy), got {len(cells)}"
        )
    code, name, email, pgy_text = (c.strip() for c in cells)
    level = pgy_text.upper()
    if level.startswith("PGY"):  # PGY-1, PGY 1, PGY1
        level = level.removeprefix("PGY").strip().removeprefix("-").strip()
    if not level.isascii() or not level.isdigit() or len(level) > 2:
        raise _csv_error(index, "pgy", f"{pgy_text!r} is not a PGY level")
    return IncomingResident(code, name, email or None, int(level), row=index)
