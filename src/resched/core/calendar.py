"""Academic years, block schemes and holidays, as pure functions of plain dates.

A block scheme is program data: the functions here build the blocks a program asks for, and
nothing else in the core assumes 13 blocks, 28 days or a July start. Dates are local calendar
dates of the program; clock times and timezones are the business of the rules.
"""

from __future__ import annotations

import bisect
import calendar as _stdlib_calendar
import datetime as dt
from collections.abc import Callable, Iterator, Sequence

from resched.core.errors import Invalid
from resched.core.model import AcademicYear, Block, BlockSchemeKind

_ONE_DAY = dt.timedelta(days=1)
FOUR_WEEKS = 28

# Month names spelled out here because strftime("%B") follows the process locale.
_MONTH_NAMES_TEXT = (
    "January February March April May June July August September October November December"
)
_MONTH_NAMES = tuple(_MONTH_NAMES_TEXT.split())

HolidayCalendar = Callable[[int], Sequence[dt.date]]


def _require_ordered(start: dt.date, end: dt.date, what: str) -> None:
    if end < start:
        raise Invalid(
            f"{what}: end {end.isoformat()} is before start {start.isoformat()}",
            details={"start": start.isoformat(), "end": end.isoformat()},
        )


def iter_days(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    """Every date from ``start`` to ``end``, both included."""
    _require_ordered(start, end, "date range")
    day = start
    while day <= end:
        yield day
        day += _ONE_DAY


def monday_of(day: dt.date) -> dt.date:
    """The Monday of the Monday-to-Sunday week holding ``day``."""
    return day - dt.timedelta(days=day.weekday())


def days_between(start: dt.date, end: dt.date) -> int:
    """Number of dates in the inclusive range ``start``..``end``."""
    _require_ordered(start, end, "date range")
    return (end - start).days + 1


def four_week_blocks(start: dt.date, end: dt.date, count: int = 13) -> tuple[Block, ...]:
    """``count`` blocks of 28 days from ``start``; the last one absorbs the remainder so that it
    ends on ``end`` (a 365-day year gives a 29-day 13th block).

    The last block may be shorter or longer than 28 days, but not twice as long: that almost
    always means the wrong ``count`` for the year, so it is refused rather than guessed at.
    """
    _require_ordered(start, end, "four-week blocks")
    if count < 1:
        raise Invalid(f"four-week blocks: count must be at least 1, got {count}")
    last_start = start + dt.timedelta(days=FOUR_WEEKS * (count - 1))
    last_days = (end - last_start).days + 1
    if last_days < 1:
        raise Invalid(
            f"four-week blocks: {count} blocks of {FOUR_WEEKS} days do not fit between "
            f"{start.isoformat()} and {end.isoformat()}",
            details={"count": count},
        )
    if last_days >= 2 * FOUR_WEEKS:
        raise Invalid(
            f"four-week blocks: the last of {count} blocks would run {last_days} days; "
            f"use more blocks for {start.isoformat()}..{end.isoformat()}",
            details={"count": count},
        )
    blocks = [
        Block(
            number=index + 1,
            start=start + dt.timedelta(days=FOUR_WEEKS * index),
            end=start + dt.timedelta(days=FOUR_WEEKS * (index + 1) - 1),
            name=f"Block {index + 1}",
        )
        for index in range(count - 1)
    ]
    blocks.append(Block(number=count, start=last_start, end=end, name=f"Block {count}"))
    return tuple(blocks)


def monthly_blocks(start: dt.date, end: dt.date) -> tuple[Block, ...]:
    """One block per calendar month touched by ``start``..``end``, clipped to that range."""
    _require_ordered(start, end, "monthly blocks")
    blocks: list[Block] = []
    block_start = start
    while block_start <= end:
        last_of_month = _stdlib_calendar.monthrange(block_start.year, block_start.month)[1]
        block_end = min(block_start.replace(day=last_of_month), end)
        number = len(blocks) + 1
        name = f"{_MONTH_NAMES[block_start.month - 1]} {block_start.year}"
        blocks.append(Block(number=number, start=block_start, end=block_end, name=name))
        block_start = block_end + _ONE_DAY
    return tuple(blocks)


def custom_blocks(
    spans: Sequence[tuple[dt.date, dt.date]], names: Sequence[str] | None = None
) -> tuple[Block, ...]:
    """Blocks from explicit inclusive spans, e.g. a short orientation block then Thu-Wed blocks.

    Spans must be in order and contiguous: a gap would leave days on which no resident has a
    rotation, and an overlap would give them two.
    """
    if not spans:
        raise Invalid("custom blocks: at least one span is needed")
    if names is not None and len(names) != len(spans):
        raise Invalid(f"custom blocks: {len(spans)} spans but {len(names)} names")
    blocks: list[Block] = []
    for index, (start, end) in enumerate(spans):
        number = index + 1
        _require_ordered(start, end, f"custom block {number}")
        if blocks and start != blocks[-1].end + _ONE_DAY:
            previous = blocks[-1].end
            kind = "overlaps" if start <= previous else "leaves a gap after"
            raise Invalid(
                f"custom block {number} starts {start.isoformat()} and {kind} block "
                f"{number - 1}, which ends {previous.isoformat()}",
                details={"block": number},
            )
        name = names[index] if names is not None else f"Block {number}"
        blocks.append(Block(number=number, start=start, end=end, name=name))
    return tuple(blocks)


def split_block(block: Block) -> tuple[Block, Block]:
    """The two halves of a block, for rotations that change mid-block (``BlockAssignment.half``
    1 and 2). Both keep the block's number; an odd extra day goes to the second half."""
    if block.days < 2:
        raise Invalid(f"{block.name or block.number}: a one-day block cannot be split in halves")
    first_end = block.start + dt.timedelta(days=block.days // 2 - 1)
    label = block.name or f"Block {block.number}"
    first = Block(number=block.number, start=block.start, end=first_end, name=f"{label} (1st half)")
    second = Block(
        number=block.number, start=first_end + _ONE_DAY, end=block.end, name=f"{label} (2nd half)"
    )
    return first, second


def academic_year_label(start: dt.date, end: dt.date | None = None) -> str:
    """``2026-07-01`` -> ``"2026-27"``; a year that ends in the calendar year it starts (give
    ``end``) is labelled by that year alone: ``"2027"``."""
    if end is not None and end.year == start.year:
        return str(start.year)
    return f"{start.year}-{(start.year + 1) % 100:02d}"


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> dt.date:
    """The ``nth`` (1-based; -1 for the last) ISO ``weekday`` of a month."""
    if nth == -1:
        last = dt.date(year, month, _stdlib_calendar.monthrange(year, month)[1])
        return last - dt.timedelta(days=(last.isoweekday() - weekday) % 7)
    first = dt.date(year, month, 1)
    offset = (weekday - first.isoweekday()) % 7
    return first + dt.timedelta(days=offset + 7 * (nth - 1))


def _observed(day: dt.date) -> dt.date:
    # 5 U.S.C. 6103(b) and the executive order it cites: Saturday holidays are observed on the
    # Friday before, Sunday holidays on the Monday after.
    if day.isoweekday() == 6:
        return day - _ONE_DAY
    if day.isoweekday() == 7:
        return day + _ONE_DAY
    return day


def us_federal_holidays_named(
    year: int, *, observed: bool = True
) -> tuple[tuple[dt.date, str], ...]:
    """The eleven US federal holidays of ``year`` with their names, in date order.

    With ``observed`` (the default, the days clinics close) weekend dates move to the nearest
    weekday, so New Year's Day of a year may be observed on 31 December of the year before.
    """
    if year < 2021:
        # Juneteenth became a federal holiday in 2021; earlier lists would be silently wrong.
        raise Invalid(f"US federal holidays are computed from 2021 on, not for {year}")
    fixed = [
        (dt.date(year, 1, 1), "New Year's Day"),
        (dt.date(year, 6, 19), "Juneteenth National Independence Day"),
        (dt.date(year, 7, 4), "Independence Day"),
        (dt.date(year, 11, 11), "Veterans Day"),
        (dt.date(year, 12, 25), "Christmas Day"),
    ]
    floating = [
        (_nth_weekday(year, 1, 1, 3), "Birthday of Martin Luther King, Jr."),
        (_nth_weekday(year, 2, 1, 3), "Washington's Birthday"),
        (_nth_weekday(year, 5, 1, -1), "Memorial Day"),
        (_nth_weekday(year, 9, 1, 1), "Labor Day"),
        (_nth_weekday(year, 10, 1, 2), "Columbus Day"),
        (_nth_weekday(year, 11, 4, 4), "Thanksgiving Day"),
    ]
    if observed:
        fixed = [(_observed(day), name) for day, name in fixed]
    return tuple(sorted(fixed + floating))


def us_federal_holidays(year: int, *, observed: bool = True) -> tuple[dt.date, ...]:
    """The dates of :func:`us_federal_holidays_named`."""
    return tuple(day for day, _ in us_federal_holidays_named(year, observed=observed))


def us_federal_holidays_between(start: dt.date, end: dt.date) -> tuple[tuple[dt.date, str], ...]:
    """The observed US federal holidays (with names) in ``start``..``end``, by date; one
    calendar year past ``end`` is looked at because New Year's Day can be observed on 31 Dec."""
    _require_ordered(start, end, "holiday range")
    named = (h for y in range(start.year, end.year + 2) for h in us_federal_holidays_named(y))
    return tuple(sorted((day, name) for day, name in named if start <= day <= end))


def holidays_between(
    start: dt.date, end: dt.date, holiday_calendar: HolidayCalendar
) -> tuple[dt.date, ...]:
    """Holidays of ``holiday_calendar`` falling in ``start``..``end``, sorted and distinct.

    Looks one calendar year past ``end`` because an observed day can move into the previous year.
    """
    _require_ordered(start, end, "holiday range")
    days = {
        day
        for year in range(start.year, end.year + 2)
        for day in holiday_calendar(year)
        if start <= day <= end
    }
    return tuple(sorted(days))


def _blocks_for_scheme(
    scheme: BlockSchemeKind,
    start: dt.date,
    end: dt.date,
    block_count: int,
    custom_spans: Sequence[tuple[dt.date, dt.date]] | None,
) -> tuple[Block, ...]:
    if scheme is BlockSchemeKind.FOUR_WEEK:
        return four_week_blocks(start, end, block_count)
    if scheme is BlockSchemeKind.MONTHLY:
        return monthly_blocks(start, end)
    if not custom_spans:
        raise Invalid("a custom block scheme needs its spans")
    blocks = custom_blocks(custom_spans)
    if blocks[0].start != start or blocks[-1].end != end:
        raise Invalid(
            f"custom blocks run {blocks[0].start.isoformat()}..{blocks[-1].end.isoformat()} "
            f"but the academic year runs {start.isoformat()}..{end.isoformat()}"
        )
    return blocks


def academic_year(
    start_year: int,
    scheme: BlockSchemeKind = BlockSchemeKind.FOUR_WEEK,
    *,
    start_month: int = 7,
    start_day: int = 1,
    block_count: int = 13,
    custom_spans: Sequence[tuple[dt.date, dt.date]] | None = None,
    holiday_calendar: HolidayCalendar | None = us_federal_holidays,
) -> AcademicYear:
    """The academic year starting on ``start_month``/``start_day`` of ``start_year`` and ending the
    day before the same date a year later (1 Jul - 30 Jun by default), cut into blocks by
    ``scheme`` and with the holidays of ``holiday_calendar`` (None for none)."""
    try:
        start = dt.date(start_year, start_month, start_day)
        end = dt.date(start_year + 1, start_month, start_day) - _ONE_DAY
    except ValueError as exc:
        raise Invalid(f"academic year start: {exc}", details={"start_year": start_year}) from exc
    blocks = _blocks_for_scheme(scheme, start, end, block_count, custom_spans)
    holidays = holidays_between(start, end, holiday_calendar) if holiday_calendar else ()
    return AcademicYear(
        label=academic_year_label(start, end),
        start=start,
        end=end,
        scheme=scheme,
        blocks=blocks,
        holidays=holidays,
    )


def block_for(day: dt.date, year: AcademicYear) -> Block:
    """The block of ``year`` that contains ``day``."""
    starts = [block.start for block in year.blocks]
    index = bisect.bisect_right(starts, day) - 1
    if index < 0 or day > year.blocks[index].end:
        raise Invalid(
            f"{day.isoformat()} is not in academic year {year.label} "
            f"({year.start.isoformat()}..{year.end.isoformat()})",
            details={"date": day.isoformat()},
        )
    return year.blocks[index]
