"""A schedule version as an xlsx shift grid: one month (or any range) on one sheet, or the
whole academic year with one sheet per block (resched.io.xlsx_grid gives the layout).

Who sees what follows the CSV and interchange exports: a draft is found only by readers who
may see drafts (otherwise NotFound, as for an unknown id). The grid shows shifts only, never
absences, so absence visibility does not arise.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

from resched.core.model import AcademicYear, Assignment, Block, ShiftType
from resched.db.repositories import AcademicYearRepository
from resched.io.xlsx_grid import GridSheet, GridWorkbook, write_grid_workbook
from resched.io.xlsx_sheets import LegendEntry
from resched.services.common import SessionFactory, read
from resched.services.exports.common import (
    XlsxExport,
    long_date,
    row_people,
    shift_legend,
    xlsx_export,
)
from resched.services.schedules import StoredSchedule, get_schedule, load_schedule

type ShiftCells = dict[tuple[str, dt.date], tuple[str, ...]]


def shift_grid_xlsx(
    *,
    factory: SessionFactory,
    version_id: int,
    start: dt.date | None = None,
    end: dt.date | None = None,
    include_drafts: bool = True,
) -> XlsxExport:
    """People x days over ``start``..``end`` on one sheet. Without a range: the month of the
    version's first shift (of its year's start when it has none); with only ``start``, to the
    end of its month; with only ``end``, from the start of its month. NotFound / Invalid as
    ``services.schedules.load_schedule``."""
    first, last = _month_range(factory, version_id, start, end, include_drafts)
    stored = load_schedule(
        factory=factory, version_id=version_id, start=first, end=last, include_drafts=include_drafts
    )
    s = stored.schedule
    rng = s.range
    days = tuple(rng.start + dt.timedelta(days=i) for i in range((rng.end - rng.start).days + 1))
    whole_month = rng.start.day == 1 and rng.end == _month_end(rng.start)
    name = f"{rng.start:%Y-%m}" if whole_month else f"{rng.start:%Y-%m-%d} to {rng.end:%m-%d}"
    span = f"{long_date(rng.start)} to {long_date(rng.end)}"
    sheet = GridSheet(
        name=name,
        title=f"{s.program.name}: {span} ({_version_words(stored)})",
        days=days,
        shifts=_cells(stored, s.assignments, days),
    )
    book = GridWorkbook(s.program.name, span, row_people(s.people), (sheet,), _legend(stored))
    stem = f"schedule-{version_id}-{rng.start:%Y%m%d}-{rng.end:%Y%m%d}"
    return xlsx_export(stem, write_grid_workbook(book))


def year_xlsx(
    *,
    factory: SessionFactory,
    version_id: int,
    include_drafts: bool = True,
    progress: Callable[[float, str], None] | None = None,
) -> XlsxExport:
    """The version's whole academic year, one sheet per block (named by its label), each with
    the same layout as the month grid. NotFound for an unknown or hidden version. A job
    passes ``progress`` (fraction done, words); a cancel raised there stops the export."""
    report = progress or (lambda _fraction, _message: None)
    report(0.0, f"Reading schedule version {version_id}.")
    version = get_schedule(factory=factory, version_id=version_id, include_drafts=include_drafts)
    year = _year(factory, version.academic_year_id)
    stored = load_schedule(
        factory=factory,
        version_id=version_id,
        start=year.start,
        end=year.end,
        include_drafts=include_drafts,
    )
    s = stored.schedule
    sheets = tuple(_block_sheet(stored, block, s.program.name, year) for block in year.blocks)
    title = f"{year.label} ({_version_words(stored)})"
    book = GridWorkbook(s.program.name, title, row_people(s.people), sheets, _legend(stored))

    def on_sheet(done: int, total: int) -> None:
        report(0.2 + 0.7 * done / total, f"Writing sheet {done + 1} of {total}.")

    content = write_grid_workbook(book, on_sheet)
    return xlsx_export(f"schedule-{version_id}-{year.label}", content)


def block_label(block: Block) -> str:
    return block.name or f"Block {block.number}"


def _block_sheet(
    stored: StoredSchedule, block: Block, program: str, year: AcademicYear
) -> GridSheet:
    days = tuple(block.start + dt.timedelta(days=i) for i in range(block.days))
    label = block_label(block)
    span = f"{long_date(block.start)} to {long_date(block.end)}"
    return GridSheet(
        name=label,
        title=f"{program}: {year.label}, {label}, {span} ({_version_words(stored)})",
        days=days,
        shifts=_cells(stored, stored.schedule.assignments, days),
    )


def _cells(
    stored: StoredSchedule, assignments: Iterable[Assignment], days: Sequence[dt.date]
) -> ShiftCells:
    """Each person's shift codes per day, in start-time order (the look-back the validator
    reads is outside ``days`` and so left out)."""
    wanted = set(days)
    shifts = {t.code: t for t in stored.schedule.shift_types}
    codes = {p.id: p.code for p in stored.schedule.people}
    found: dict[tuple[str, dt.date], list[ShiftType]] = defaultdict(list)
    for a in assignments:
        if a.date in wanted and a.person_id in codes:
            found[(codes[a.person_id], a.date)].append(shifts[a.shift_code])
    return {
        key: tuple(t.code for t in sorted(types, key=lambda t: (t.start, t.code)))
        for key, types in found.items()
    }


def _legend(stored: StoredSchedule) -> tuple[LegendEntry, ...]:
    return shift_legend(stored.schedule.shift_types)


def _version_words(stored: StoredSchedule) -> str:
    v = stored.version
    return f"version {v.id}, {v.status.value}" + (f", {v.label}" if v.label else "")


def _month_range(
    factory: SessionFactory,
    version_id: int,
    start: dt.date | None,
    end: dt.date | None,
    include_drafts: bool,
) -> tuple[dt.date, dt.date]:
    if start is not None and end is not None:
        return start, end
    if start is not None:
        return start, _month_end(start)
    if end is not None:
        return end.replace(day=1), end
    version = get_schedule(factory=factory, version_id=version_id, include_drafts=include_drafts)
    anchor = version.first_day or _year(factory, version.academic_year_id).start
    return anchor.replace(day=1), _month_end(anchor)


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _year(factory: SessionFactory, academic_year_id: int) -> AcademicYear:
    with read(factory) as session:
        year = AcademicYearRepository(session).get(academic_year_id)
    assert year is not None  # a version's year outlives it (the foreign key)
    return year
