"""Block schemes, academic years and US federal holidays (core/calendar.py)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from resched.core.calendar import (
    academic_year,
    academic_year_label,
    block_for,
    custom_blocks,
    days_between,
    four_week_blocks,
    iter_days,
    monday_of,
    monthly_blocks,
    split_block,
    us_federal_holidays,
    us_federal_holidays_between,
    us_federal_holidays_named,
)
from resched.core.errors import Invalid
from resched.core.model import Block, BlockSchemeKind

D = dt.date
YEAR_START, YEAR_END = D(2026, 7, 1), D(2027, 6, 30)


def assert_contiguous(blocks: tuple[Block, ...], start: dt.date, end: dt.date) -> None:
    assert blocks[0].start == start
    assert blocks[-1].end == end
    assert [b.number for b in blocks] == list(range(1, len(blocks) + 1))
    for previous, block in itertools.pairwise(blocks):
        assert block.start == previous.end + dt.timedelta(days=1)
    assert all(b.start <= b.end for b in blocks)
    assert sum(b.days for b in blocks) == (end - start).days + 1


# --- four-week blocks -------------------------------------------------------------------------


def test_four_week_blocks_of_2026_27_end_on_30_june() -> None:
    blocks = four_week_blocks(YEAR_START, YEAR_END)
    assert len(blocks) == 13
    assert_contiguous(blocks, YEAR_START, YEAR_END)
    assert [b.days for b in blocks[:12]] == [28] * 12
    assert (blocks[12].start, blocks[12].end, blocks[12].days) == (D(2027, 6, 2), YEAR_END, 29)
    assert blocks[1].start == D(2026, 7, 29)
    assert blocks[0].name == "Block 1"


def test_four_week_blocks_stretch_the_last_block_over_a_leap_day() -> None:
    blocks = four_week_blocks(D(2027, 7, 1), D(2028, 6, 30))
    assert_contiguous(blocks, D(2027, 7, 1), D(2028, 6, 30))
    assert blocks[-1].days == 30


def test_four_week_blocks_may_shorten_the_last_block() -> None:
    blocks = four_week_blocks(D(2026, 7, 1), D(2027, 6, 20))
    assert blocks[-1].days == 19
    assert_contiguous(blocks, D(2026, 7, 1), D(2027, 6, 20))
    assert four_week_blocks(YEAR_START, YEAR_END, 14)[-1].days == 1


@pytest.mark.parametrize(
    ("end", "count", "words"),
    [
        (D(2026, 6, 30), 13, "before start"),
        (YEAR_END, 15, "do not fit"),
        (YEAR_END, 12, "would run 57 days"),
        (YEAR_END, 0, "at least 1"),
    ],
)
def test_four_week_blocks_refuse_impossible_input(end: dt.date, count: int, words: str) -> None:
    with pytest.raises(Invalid, match=words):
        four_week_blocks(YEAR_START, end, count)


# --- monthly and custom blocks ----------------------------------------------------------------


def test_monthly_blocks_follow_calendar_months() -> None:
    blocks = monthly_blocks(YEAR_START, YEAR_END)
    assert len(blocks) == 12
    assert_contiguous(blocks, YEAR_START, YEAR_END)
    assert [b.name for b in blocks[:2]] == ["July 2026", "August 2026"]
    february = blocks[7]
    assert (february.name, february.start, february.end) == (
        "February 2027",
        D(2027, 2, 1),
        D(2027, 2, 28),
    )


def test_monthly_blocks_clip_to_a_mid_month_range() -> None:
    blocks = monthly_blocks(D(2026, 7, 15), D(2026, 9, 10))
    assert [(b.start, b.end) for b in blocks] == [
        (D(2026, 7, 15), D(2026, 7, 31)),
        (D(2026, 8, 1), D(2026, 8, 31)),
        (D(2026, 9, 1), D(2026, 9, 10)),
    ]


def test_custom_blocks_take_an_orientation_block_and_names() -> None:
    spans = [(D(2026, 7, 1), D(2026, 7, 8)), (D(2026, 7, 9), D(2026, 8, 5))]
    blocks = custom_blocks(spans, names=["Orientation", "Block 1"])
    assert [(b.number, b.name, b.days) for b in blocks] == [
        (1, "Orientation", 8),
        (2, "Block 1", 28),
    ]


@pytest.mark.parametrize(
    ("second_start", "words"),
    [(D(2026, 7, 10), "leaves a gap after block 1"), (D(2026, 7, 8), "overlaps block 1")],
)
def test_custom_blocks_refuse_gaps_and_overlaps(second_start: dt.date, words: str) -> None:
    spans = [(D(2026, 7, 1), D(2026, 7, 8)), (second_start, D(2026, 8, 5))]
    with pytest.raises(Invalid, match=words):
        custom_blocks(spans)


def test_custom_blocks_refuse_reversed_spans_empty_input_and_wrong_names() -> None:
    with pytest.raises(Invalid, match="before start"):
        custom_blocks([(D(2026, 7, 8), D(2026, 7, 1))])
    with pytest.raises(Invalid, match="at least one span"):
        custom_blocks([])
    with pytest.raises(Invalid, match="1 spans but 2 names"):
        custom_blocks([(D(2026, 7, 1), D(2026, 7, 8))], names=["a", "b"])


# --- halves -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("days", "first", "second"), [(28, 14, 14), (29, 14, 15), (2, 1, 1)])
def test_split_block_gives_two_contiguous_halves(days: int, first: int, second: int) -> None:
    block = Block(5, D(2026, 7, 1), D(2026, 7, 1) + dt.timedelta(days=days - 1), "Block 5")
    one, two = split_block(block)
    assert (one.days, two.days) == (first, second)
    assert (one.start, two.end) == (block.start, block.end)
    assert two.start == one.end + dt.timedelta(days=1)
    assert one.number == two.number == 5
    assert one.name == "Block 5 (1st half)"


def test_split_block_refuses_a_one_day_block() -> None:
    with pytest.raises(Invalid, match="cannot be split"):
        split_block(Block(1, D(2026, 7, 1), D(2026, 7, 1)))


# --- academic years ---------------------------------------------------------------------------


def test_academic_year_2026_27_defaults() -> None:
    year = academic_year(2026)
    assert (year.label, year.start, year.end) == ("2026-27", YEAR_START, YEAR_END)
    assert year.scheme is BlockSchemeKind.FOUR_WEEK
    assert len(year.blocks) == 13
    assert_contiguous(year.blocks, YEAR_START, YEAR_END)
    assert year.holidays == (
        D(2026, 7, 3),  # Independence Day, a Saturday, observed Friday
        D(2026, 9, 7),
        D(2026, 10, 12),
        D(2026, 11, 11),
        D(2026, 11, 26),
        D(2026, 12, 25),
        D(2027, 1, 1),
        D(2027, 1, 18),
        D(2027, 2, 15),
        D(2027, 5, 31),
        D(2027, 6, 18),  # Juneteenth, a Saturday, observed Friday
    )


def test_academic_year_other_schemes_and_no_holidays() -> None:
    monthly = academic_year(2026, BlockSchemeKind.MONTHLY, holiday_calendar=None)
    assert len(monthly.blocks) == 12
    assert monthly.holidays == ()
    spans = [(YEAR_START, D(2026, 7, 8)), (D(2026, 7, 9), YEAR_END)]
    custom = academic_year(2026, BlockSchemeKind.CUSTOM, custom_spans=spans)
    assert [b.days for b in custom.blocks] == [8, 357]
    january = academic_year(2027, start_month=1, block_count=13)
    assert (january.start, january.end, january.label) == (D(2027, 1, 1), D(2027, 12, 31), "2027")


def test_academic_year_refuses_bad_custom_spans_and_dates() -> None:
    with pytest.raises(Invalid, match="needs its spans"):
        academic_year(2026, BlockSchemeKind.CUSTOM)
    with pytest.raises(Invalid, match="academic year runs"):
        academic_year(2026, BlockSchemeKind.CUSTOM, custom_spans=[(YEAR_START, D(2027, 6, 29))])
    with pytest.raises(Invalid, match="academic year start"):
        academic_year(2026, start_month=2, start_day=30)


def test_block_for_finds_the_block_of_each_day() -> None:
    year = academic_year(2026)
    assert block_for(YEAR_START, year).number == 1
    assert block_for(D(2026, 7, 28), year).number == 1
    assert block_for(D(2026, 7, 29), year).number == 2
    assert block_for(D(2027, 6, 1), year).number == 12
    assert block_for(YEAR_END, year).number == 13
    for day in iter_days(YEAR_START, YEAR_END):
        block = block_for(day, year)
        assert block.start <= day <= block.end


@pytest.mark.parametrize("day", [D(2026, 6, 30), D(2027, 7, 1)])
def test_block_for_refuses_days_outside_the_year(day: dt.date) -> None:
    with pytest.raises(Invalid, match="not in academic year 2026-27"):
        block_for(day, academic_year(2026))


def test_academic_year_label() -> None:
    assert academic_year_label(D(2026, 7, 1)) == "2026-27"
    assert academic_year_label(D(2099, 7, 1)) == "2099-00"
    assert academic_year_label(D(2027, 1, 1), D(2027, 12, 31)) == "2027"


# --- date ranges ------------------------------------------------------------------------------


@given(st.dates(min_value=D(1900, 1, 8), max_value=D(2200, 12, 31)))
def test_monday_of_is_the_monday_on_or_before_the_day(day: dt.date) -> None:
    monday = monday_of(day)
    assert monday.weekday() == 0
    assert 0 <= (day - monday).days <= 6


def test_iter_days_is_inclusive_and_validated() -> None:
    assert list(iter_days(D(2026, 12, 30), D(2027, 1, 2))) == [
        D(2026, 12, 30),
        D(2026, 12, 31),
        D(2027, 1, 1),
        D(2027, 1, 2),
    ]
    assert list(iter_days(YEAR_START, YEAR_START)) == [YEAR_START]
    assert days_between(YEAR_START, YEAR_END) == 365
    with pytest.raises(Invalid, match="end 2026-06-30 is before start 2026-07-01"):
        list(iter_days(YEAR_START, D(2026, 6, 30)))
    with pytest.raises(Invalid):
        days_between(YEAR_END, YEAR_START)


# --- US federal holidays ----------------------------------------------------------------------


def test_us_federal_holidays_2026() -> None:
    assert us_federal_holidays(2026) == (
        D(2026, 1, 1),
        D(2026, 1, 19),
        D(2026, 2, 16),
        D(2026, 5, 25),
        D(2026, 6, 19),
        D(2026, 7, 3),
        D(2026, 9, 7),
        D(2026, 10, 12),
        D(2026, 11, 11),
        D(2026, 11, 26),
        D(2026, 12, 25),
    )


def test_us_federal_holidays_2027_with_weekend_shifts() -> None:
    named = {name: day for day, name in us_federal_holidays_named(2027)}
    assert named["Juneteenth National Independence Day"] == D(2027, 6, 18)
    assert named["Independence Day"] == D(2027, 7, 5)  # Sunday -> Monday
    assert named["Christmas Day"] == D(2027, 12, 24)  # Saturday -> Friday
    assert named["Thanksgiving Day"] == D(2027, 11, 25)
    actual = us_federal_holidays(2027, observed=False)
    assert D(2027, 6, 19) in actual
    assert D(2027, 7, 4) in actual


def test_new_year_on_a_saturday_is_observed_in_the_previous_year() -> None:
    assert us_federal_holidays(2022)[0] == D(2021, 12, 31)


def test_us_federal_holidays_refuse_years_before_juneteenth() -> None:
    with pytest.raises(Invalid, match="from 2021"):
        us_federal_holidays(2020)


@given(st.integers(min_value=2021, max_value=2200))
def test_us_federal_holidays_fall_on_their_defined_days(year: int) -> None:
    named = {name: day for day, name in us_federal_holidays_named(year, observed=True)}
    assert len(named) == 11
    assert all(day.isoweekday() <= 5 for day in named.values())
    thanksgiving = named["Thanksgiving Day"]
    assert thanksgiving.isoweekday() == 4
    assert 22 <= thanksgiving.day <= 28
    assert thanksgiving.month == 11
    assert named["Memorial Day"].isoweekday() == 1
    assert 25 <= named["Memorial Day"].day <= 31
    assert 15 <= named["Birthday of Martin Luther King, Jr."].day <= 21
    assert 1 <= named["Labor Day"].day <= 7
    assert 8 <= named["Columbus Day"].day <= 14
    assert abs((named["Christmas Day"] - D(year, 12, 25)).days) <= 1


def test_us_federal_holidays_between_keep_names_and_observed_days_inside_the_range() -> None:
    named = dict(us_federal_holidays_between(D(2027, 7, 1), D(2028, 6, 30)))
    assert named[D(2027, 7, 5)] == "Independence Day"  # 4 July 2027 is a Sunday
    assert named[D(2027, 11, 25)] == "Thanksgiving Day"
    assert named[D(2027, 12, 24)] == "Christmas Day"  # 25 Dec 2027 is a Saturday
    # New Year's Day 2028 is a Saturday: observed Friday 31 Dec 2027, inside the year.
    assert named[D(2027, 12, 31)] == "New Year's Day"
    assert named[D(2028, 6, 19)] == "Juneteenth National Independence Day"
    assert len(named) == 11
    assert D(2027, 7, 2) not in named
    assert D(2028, 7, 4) not in named
    assert dict(us_federal_holidays_between(D(2026, 11, 1), D(2026, 11, 30))) == {
        D(2026, 11, 11): "Veterans Day",
        D(2026, 11, 26): "Thanksgiving Day",
    }
