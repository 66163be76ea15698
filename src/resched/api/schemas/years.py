"""Academic years: the block scheme of a new year (a union tagged by ``kind``), its blocks with
their halves, and its holidays."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, StrictInt, StringConstraints

from resched.api.schemas.common import Day, Flag, Input, Output
from resched.core.calendar import split_block
from resched.core.model import AcademicYear, Block, BlockScheme, BlockSchemeKind, Holiday

YearLabel = Annotated[
    str, StringConstraints(strict=True, strip_whitespace=True, min_length=1, max_length=40)
]
HolidayName = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, max_length=80)]
SCHEME_NAMES = {
    BlockSchemeKind.FOUR_WEEK: "four_weeks",
    BlockSchemeKind.MONTHLY: "calendar_months",
    BlockSchemeKind.CUSTOM: "explicit",
}


class FourWeeksIn(Input):
    """``blocks`` blocks of 28 days from the year's start; the last one ends on the year's
    last day (a 365-day year with 13 blocks gives a 29-day 13th block)."""

    kind: Literal["four_weeks"]
    blocks: Annotated[StrictInt, Field(ge=1, le=60)] = 13

    def to_core(self) -> BlockScheme:
        return BlockScheme(BlockSchemeKind.FOUR_WEEK, block_count=self.blocks)


class CalendarMonthsIn(Input):
    """One block per calendar month (the first and last clipped to the year)."""

    kind: Literal["calendar_months"]

    def to_core(self) -> BlockScheme:
        return BlockScheme(BlockSchemeKind.MONTHLY)


class BlockSpanIn(Input):
    start: Day
    end: Day


class ExplicitIn(Input):
    """The blocks in order, inclusive dates, covering the year exactly: no gap, no overlap."""

    kind: Literal["explicit"]
    blocks: list[BlockSpanIn] = Field(min_length=1, max_length=60)

    def to_core(self) -> BlockScheme:
        spans = tuple((b.start, b.end) for b in self.blocks)
        return BlockScheme(BlockSchemeKind.CUSTOM, spans=spans)


SchemeIn = Annotated[FourWeeksIn | CalendarMonthsIn | ExplicitIn, Field(discriminator="kind")]


class HolidayIn(Input):
    day: Day
    name: HolidayName = ""

    def to_core(self) -> Holiday:
        return Holiday(day=self.day, name=self.name)


class AcademicYearIn(Input):
    """A new year. ``end`` defaults to the day before ``start`` a year later;
    ``us_federal_holidays`` adds the observed US federal holidays falling in the year."""

    label: YearLabel
    start: Day
    end: Day | None = None
    scheme: SchemeIn
    holidays: list[HolidayIn] = Field(default_factory=list, max_length=100)
    us_federal_holidays: Flag = False


class HolidayOut(Output):
    id: int
    day: dt.date
    name: str

    @classmethod
    def of(cls, holiday: Holiday) -> HolidayOut:
        assert holiday.id is not None
        return cls(id=holiday.id, day=holiday.day, name=holiday.name)


class HalfOut(Output):
    start: dt.date
    end: dt.date


class BlockOut(Output):
    """A block; ``halves`` are the dates the planner uses when a rotation that allows half
    blocks takes half of it (empty for a one-day block)."""

    number: int
    name: str
    start: dt.date
    end: dt.date
    days: int
    halves: list[HalfOut]

    @classmethod
    def of(cls, block: Block) -> BlockOut:
        halves = (
            []
            if block.days < 2
            else [HalfOut(start=h.start, end=h.end) for h in split_block(block)]
        )
        return cls(
            number=block.number,
            name=block.name,
            start=block.start,
            end=block.end,
            days=block.days,
            halves=halves,
        )


class AcademicYearSummaryOut(Output):
    id: int
    label: str
    start: dt.date
    end: dt.date
    scheme: str
    block_count: int
    holiday_count: int

    @classmethod
    def of(cls, year: AcademicYear) -> AcademicYearSummaryOut:
        assert year.id is not None
        return cls(
            id=year.id,
            label=year.label,
            start=year.start,
            end=year.end,
            scheme=SCHEME_NAMES[year.scheme],
            block_count=len(year.blocks),
            holiday_count=len(year.holidays),
        )


class AcademicYearOut(AcademicYearSummaryOut):
    blocks: list[BlockOut]
    holidays: list[HolidayOut]

    @classmethod
    def with_holidays(cls, year: AcademicYear, holidays: list[Holiday]) -> AcademicYearOut:
        summary = AcademicYearSummaryOut.of(year).model_dump()
        return cls(
            **summary,
            blocks=[BlockOut.of(b) for b in year.blocks],
            holidays=[HolidayOut.of(h) for h in holidays],
        )
