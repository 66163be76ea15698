"""Starting the next academic year: what may be said (all optional, defaults from this year)
and what it does (the new year, who moves up, who finishes, who comes in)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field, StringConstraints

from resched.api.schemas.common import Code, Day, Flag, Input, Name, Output, Pgy
from resched.api.schemas.people import Email
from resched.api.schemas.years import (
    SCHEME_NAMES,
    AcademicYearOut,
    HolidayIn,
    SchemeIn,
    YearLabel,
)
from resched.core.rollover import MAX_INCOMING, IncomingResident, Promotion
from resched.services.rollover import NextYearPlan, NextYearRequest

# 200 rows of code, name, email and level fit easily.
CsvText = Annotated[str, StringConstraints(strict=True, max_length=100_000)]


class IncomingIn(Input):
    code: Code
    name: Name
    email: Email | None = None
    pgy: Pgy = 1

    def to_core(self) -> IncomingResident:
        return IncomingResident(self.code, self.name, self.email, self.pgy)


class NextYearIn(Input):
    """Everything defaults from the year it follows: ``start`` the day after it ends, ``end``
    a year later, ``label`` from the dates (2027-28), ``scheme`` the same blocks,
    ``us_federal_holidays`` if that year has its own. ``incoming`` and ``incoming_csv``
    (rows ``code,name,email,pgy``, a header row allowed) both add to the incoming class;
    ``leaving``: codes of residents who do not continue; ``final_pgy``: the program's last
    level (default: the highest one residents hold or rotations require)."""

    label: YearLabel | None = None
    start: Day | None = None
    end: Day | None = None
    scheme: SchemeIn | None = None
    us_federal_holidays: Flag | None = None
    holidays: list[HolidayIn] = Field(default_factory=list, max_length=100)
    incoming: list[IncomingIn] = Field(default_factory=list, max_length=MAX_INCOMING)
    incoming_csv: CsvText = ""
    leaving: list[Code] = Field(default_factory=list, max_length=MAX_INCOMING)
    final_pgy: Pgy | None = None

    def to_core(self) -> NextYearRequest:
        return NextYearRequest(
            label=self.label,
            start=self.start,
            end=self.end,
            scheme=None if self.scheme is None else self.scheme.to_core(),
            us_federal_holidays=self.us_federal_holidays,
            holidays=tuple(h.to_core() for h in self.holidays),
            incoming=tuple(i.to_core() for i in self.incoming),
            incoming_csv=self.incoming_csv,
            leaving=tuple(self.leaving),
            final_pgy=self.final_pgy,
        )


class MoveOut(Output):
    """A resident of the year it follows: ``next_pgy`` null when not in the new year."""

    code: str
    name: str
    pgy: int
    next_pgy: int | None

    @classmethod
    def of(cls, p: Promotion) -> MoveOut:
        return cls(code=p.code, name=p.name, pgy=p.pgy, next_pgy=p.next_pgy)


class IncomingOut(Output):
    code: str
    name: str
    email: str | None
    pgy: int


class NextHolidayOut(Output):
    day: dt.date
    name: str


class NextYearCounts(Output):
    promoted: int
    graduated: int
    leaving: int
    incoming: int
    faculty: int


class NextYearOut(Output):
    """The plan; ``academic_year`` is the stored year (null in a preview)."""

    from_academic_year_id: int
    label: str
    start: dt.date
    end: dt.date
    scheme: str
    block_count: int
    holidays: list[NextHolidayOut]
    final_pgy: int
    counts: NextYearCounts
    promoted: list[MoveOut]
    graduated: list[MoveOut]
    leaving: list[MoveOut]
    incoming: list[IncomingOut]
    dated_coverage: list[str] = Field(
        description="Coverage rules limited to dates of the year before: no day of the new year."
    )
    academic_year: AcademicYearOut | None = None

    @classmethod
    def of(cls, plan: NextYearPlan, stored: AcademicYearOut | None = None) -> NextYearOut:
        p, y = plan.promotions, plan.year
        assert plan.from_year.id is not None
        return cls(
            from_academic_year_id=plan.from_year.id,
            label=y.label,
            start=y.start,
            end=y.end,
            scheme=SCHEME_NAMES[y.scheme],
            block_count=len(y.blocks),
            holidays=[NextHolidayOut(day=h.day, name=h.name) for h in plan.holidays],
            final_pgy=plan.final_pgy,
            counts=NextYearCounts(
                promoted=len(p.promoted),
                graduated=len(p.graduating),
                leaving=len(p.leaving),
                incoming=len(plan.incoming),
                faculty=plan.faculty,
            ),
            promoted=[MoveOut.of(x) for x in p.promoted],
            graduated=[MoveOut.of(x) for x in p.graduating],
            leaving=[MoveOut.of(x) for x in p.leaving],
            incoming=[
                IncomingOut(code=i.code, name=i.name, email=i.email, pgy=i.pgy)
                for i in plan.incoming
            ],
            dated_coverage=list(plan.dated_coverage),
            academic_year=stored,
        )
