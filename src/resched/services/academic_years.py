"""Academic years: create one with its blocks (a block scheme) and holidays, add and remove
holidays, add the US federal holidays in one step, delete a year nobody scheduled.

Field names in errors are those of the request (``scheme.blocks[2].start``,
``holidays[0].day``), so the API, the page and the CLI can point at what the user typed.
Years never overlap: each day of the program belongs to at most one year, which is how
generation and the people's PGY levels find "the" year of a date.

Deleting a year is refused (409) while any schedule version - published, draft or archived -
belongs to it: a published one is the record, and a draft holds the rotation plan someone
worked on; the message says how many of each. Residents' PGY levels for the year go with it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy.orm import Session

from resched.core import calendar
from resched.core.errors import Conflict, Invalid
from resched.core.model import AcademicYear, Block, BlockScheme, BlockSchemeKind, Holiday
from resched.db.repositories import AcademicYearRepository
from resched.services.audit import ActorLike, record
from resched.services.common import SessionFactory, check_text, fail, found, read, write

# Longer than any real academic year; bounds the blocks a calendar-month scheme can make.
MAX_YEAR_DAYS = 400
MAX_HOLIDAY_NAME = 80
FIRST_YEAR, LAST_YEAR = 1900, 2999


def default_end(start: dt.date) -> dt.date:
    """The day before the same date a year later (1 Jul 2027 -> 30 Jun 2028)."""
    try:
        return start.replace(year=start.year + 1) - dt.timedelta(days=1)
    except ValueError:  # 29 February
        return start.replace(year=start.year + 1, day=28)


def build_blocks(scheme: BlockScheme, start: dt.date, end: dt.date) -> tuple[Block, ...]:
    """The blocks of ``start``..``end`` by ``scheme``; 422 naming ``scheme.*`` otherwise."""
    if scheme.kind is BlockSchemeKind.MONTHLY:
        return calendar.monthly_blocks(start, end)
    if scheme.kind is BlockSchemeKind.CUSTOM:
        return calendar.custom_blocks(_checked_spans(scheme.spans, start, end))
    try:
        return calendar.four_week_blocks(start, end, scheme.block_count)
    except Invalid as exc:
        fail("scheme.blocks", exc.message)


def _checked_spans(
    spans: Sequence[tuple[dt.date, dt.date]], start: dt.date, end: dt.date
) -> Sequence[tuple[dt.date, dt.date]]:
    if not spans:
        fail("scheme.blocks", "explicit blocks need at least one block")
    expected = start
    for index, (block_start, block_end) in enumerate(spans):
        field = f"scheme.blocks[{index}]"
        if block_end < block_start:
            fail(f"{field}.end", f"block {index + 1} ends before it starts")
        if block_start != expected:
            what = "overlaps the block before" if block_start < expected else "leaves a gap"
            if index == 0:
                what = f"must start on the year's first day, {start.isoformat()}"
            fail(f"{field}.start", f"block {index + 1} {what} (expected {expected.isoformat()})")
        expected = block_end + dt.timedelta(days=1)
    if expected - dt.timedelta(days=1) != end:
        last = len(spans) - 1
        fail(f"scheme.blocks[{last}].end", f"the last block must end on {end.isoformat()}")
    return spans


def _check_name(value: str, field: str, *, max_length: int, required: bool) -> None:
    check_text(value, field, max_length=max_length, required=required)
    if "\x00" in value:  # PostgreSQL text cannot hold it
        fail(field, f"{field} must not contain a NUL character")


def _check_dates(start: dt.date, end: dt.date) -> None:
    if end < start:
        fail("end", "the year ends before it starts")
    if (end - start).days + 1 > MAX_YEAR_DAYS:
        fail("end", f"an academic year runs at most {MAX_YEAR_DAYS} days")


def _check_holidays(holidays: Sequence[Holiday], start: dt.date, end: dt.date) -> None:
    seen: set[dt.date] = set()
    for index, holiday in enumerate(holidays):
        field = f"holidays[{index}]"
        _check_name(holiday.name, f"{field}.name", max_length=MAX_HOLIDAY_NAME, required=False)
        if not start <= holiday.day <= end:
            fail(f"{field}.day", f"{holiday.day.isoformat()} is outside the year")
        if holiday.day in seen:
            fail(f"{field}.day", f"{holiday.day.isoformat()} is given twice")
        seen.add(holiday.day)


def federal_holidays(start: dt.date, end: dt.date, field: str) -> list[Holiday]:
    try:
        named = calendar.us_federal_holidays_between(start, end)
    except Invalid as exc:
        fail(field, exc.message)
    return [Holiday(day=day, name=name) for day, name in named]


def prepare_academic_year(
    *,
    label: str,
    start: dt.date,
    end: dt.date | None,
    scheme: BlockScheme,
    holidays: Sequence[Holiday] = (),
    us_federal_holidays: bool = False,
) -> tuple[AcademicYear, list[Holiday]]:
    """A new year with its blocks, and its holidays (the given ones, plus the federal ones),
    checked but not stored: 422 naming the request's field."""
    label = label.strip()
    _check_name(label, "label", max_length=40, required=True)
    if not FIRST_YEAR <= start.year <= LAST_YEAR:
        fail("start", f"an academic year starts between {FIRST_YEAR} and {LAST_YEAR}")
    end = end or default_end(start)
    _check_dates(start, end)
    blocks = build_blocks(scheme, start, end)
    _check_holidays(holidays, start, end)
    given = {h.day for h in holidays}
    federal = federal_holidays(start, end, "us_federal_holidays") if us_federal_holidays else []
    all_holidays = [*holidays, *(h for h in federal if h.day not in given)]
    year = AcademicYear(label=label, start=start, end=end, scheme=scheme.kind, blocks=blocks)
    return year, sorted(all_holidays, key=lambda h: h.day)


def insert_academic_year(
    session: Session, year: AcademicYear, holidays: Sequence[Holiday], actor: ActorLike
) -> AcademicYear:
    """Store a prepared year in the caller's transaction, audited; 422 on a label taken or
    an overlap with another year."""
    repo = AcademicYearRepository(session)
    if repo.get_by_label(year.label) is not None:
        fail("label", f"an academic year labelled {year.label!r} exists")
    clash = repo.overlapping(year.start, year.end)
    if clash:
        other = clash[0]
        fail("start", f"the year overlaps {other.label} ({other.start}..{other.end})")
    created = repo.add(year)
    assert created.id is not None
    repo.add_holidays(created.id, holidays)
    saved = found(repo.get(created.id), "academic_year", created.id)
    record(
        session,
        actor=actor,
        action="create",
        entity="academic_year",
        entity_id=created.id,
        after=saved,
    )
    return saved


def create_academic_year(
    *,
    factory: SessionFactory,
    label: str,
    start: dt.date,
    end: dt.date | None,
    scheme: BlockScheme,
    holidays: Sequence[Holiday] = (),
    us_federal_holidays: bool = False,
    actor: ActorLike = None,
) -> AcademicYear:
    """A new year with its blocks and holidays (the given ones, plus the federal ones)."""
    year, all_holidays = prepare_academic_year(
        label=label,
        start=start,
        end=end,
        scheme=scheme,
        holidays=holidays,
        us_federal_holidays=us_federal_holidays,
    )
    with write(factory) as session:
        return insert_academic_year(session, year, all_holidays, actor)


def add_academic_year(
    session: Session,
    *,
    label: str,
    start: dt.date,
    end: dt.date | None,
    scheme: BlockScheme,
    holidays: Sequence[Holiday] = (),
    us_federal_holidays: bool = False,
    actor: ActorLike,
) -> AcademicYear:
    """``create_academic_year`` in the caller's transaction (the demo loader's)."""
    year, all_holidays = prepare_academic_year(
        label=label,
        start=start,
        end=end,
        scheme=scheme,
        holidays=holidays,
        us_federal_holidays=us_federal_holidays,
    )
    return insert_academic_year(session, year, all_holidays, actor)


def list_academic_years(*, factory: SessionFactory) -> list[AcademicYear]:
    with read(factory) as session:
        return AcademicYearRepository(session).all()


def get_academic_year(
    *, factory: SessionFactory, academic_year_id: int
) -> tuple[AcademicYear, list[Holiday]]:
    """The year with its blocks, and its holidays with their names and ids."""
    with read(factory) as session:
        repo = AcademicYearRepository(session)
        year = found(repo.get(academic_year_id), "academic_year", academic_year_id)
        return year, repo.holidays(academic_year_id)


def list_holidays(*, factory: SessionFactory, academic_year_id: int) -> list[Holiday]:
    with read(factory) as session:
        repo = AcademicYearRepository(session)
        found(repo.get(academic_year_id), "academic_year", academic_year_id)
        return repo.holidays(academic_year_id)


def add_holiday(
    *, factory: SessionFactory, academic_year_id: int, holiday: Holiday, actor: ActorLike = None
) -> Holiday:
    """One more holiday; a day outside the year or already a holiday is a 422 on ``day``."""
    _check_name(holiday.name, "name", max_length=MAX_HOLIDAY_NAME, required=False)
    with write(factory) as session:
        repo = AcademicYearRepository(session)
        year = found(repo.get(academic_year_id), "academic_year", academic_year_id)
        if not year.start <= holiday.day <= year.end:
            fail("day", f"{holiday.day.isoformat()} is outside {year.label}")
        if holiday.day in year.holidays:
            fail("day", f"{holiday.day.isoformat()} is already a holiday")
        repo.add_holidays(academic_year_id, [holiday])
        added = next(h for h in repo.holidays(academic_year_id) if h.day == holiday.day)
        _record_holidays(session, actor, "add_holiday", academic_year_id, added)
        return added


def add_us_federal_holidays(
    *, factory: SessionFactory, academic_year_id: int, actor: ActorLike = None
) -> list[Holiday]:
    """The year's US federal holidays; days already holidays are kept as they are (so a second
    call changes nothing). Answers every holiday of the year."""
    with write(factory) as session:
        repo = AcademicYearRepository(session)
        year = found(repo.get(academic_year_id), "academic_year", academic_year_id)
        federal = federal_holidays(year.start, year.end, "academic_year")
        missing = [h for h in federal if h.day not in year.holidays]
        if missing:
            repo.add_holidays(academic_year_id, missing)
            _record_holidays(session, actor, "add_us_federal_holidays", academic_year_id, missing)
        return repo.holidays(academic_year_id)


def remove_holiday(
    *, factory: SessionFactory, academic_year_id: int, holiday_id: int, actor: ActorLike = None
) -> None:
    with write(factory) as session:
        removed = AcademicYearRepository(session).remove_holiday(academic_year_id, holiday_id)
        found(removed, "holiday", holiday_id)
        _record_holidays(session, actor, "remove_holiday", academic_year_id, removed)


def _record_holidays(
    session: Session, actor: ActorLike, action: str, year_id: int, what: object
) -> None:
    record(
        session, actor=actor, action=action, entity="academic_year", entity_id=year_id, after=what
    )


def delete_academic_year(
    *, factory: SessionFactory, academic_year_id: int, actor: ActorLike = None
) -> None:
    """Delete a year with its blocks, holidays and PGY levels; 409 while schedules hold it."""
    with write(factory) as session:
        repo = AcademicYearRepository(session)
        year = found(repo.get(academic_year_id), "academic_year", academic_year_id)
        versions = repo.schedule_versions_by_status(academic_year_id)
        if versions:
            held = ", ".join(
                f"{count} {status.value}" for status, count in sorted(versions.items())
            )
            raise Conflict(
                f"{year.label} holds schedule versions ({held}); it cannot be deleted",
                details={"schedule_versions": {s.value: n for s, n in versions.items()}},
            )
        repo.delete(academic_year_id)
        record(
            session,
            actor=actor,
            action="delete",
            entity="academic_year",
            entity_id=academic_year_id,
            before=year,
        )
