"""/academic-years: the program's academic years, their blocks and holidays.

POST creates a year with its blocks (the ``scheme``) and holidays; overlapping years, blocks
with gaps or overlaps and holidays outside the year are 422 naming the request's field.
Holidays are added one at a time, or all US federal holidays of the year at once (days that
are holidays already are kept). DELETE refuses (409) a year that holds schedule versions.
POST .../next starts the academic year after this one (the same blocks, residents one PGY
level up, the final year's residents finished, the incoming class added) in one transaction;
POST .../next/preview answers the same plan, and the same errors, writing nothing. A next year
that exists already is a 409.
Everyone signed in reads; changing (and previewing the next year) needs program:write.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, status

from resched.api.deps import ActorDep, SessionFactoryDep
from resched.api.responses import error_responses
from resched.api.schemas.rollover import NextYearIn, NextYearOut
from resched.api.schemas.years import (
    AcademicYearIn,
    AcademicYearOut,
    AcademicYearSummaryOut,
    BlockOut,
    HolidayIn,
    HolidayOut,
)
from resched.http.auth import require
from resched.http.params import MAX_ID
from resched.services import academic_years, rollover
from resched.services.permissions import Permission

router = APIRouter(prefix="/academic-years", tags=["academic years"])
READ = [require(Permission.PROGRAM_READ)]
WRITE = [require(Permission.PROGRAM_WRITE)]
YearId = Annotated[int, Path(ge=1, le=MAX_ID)]
HolidayId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _year_out(factory: SessionFactoryDep, academic_year_id: int) -> AcademicYearOut:
    year, holidays = academic_years.get_academic_year(
        factory=factory, academic_year_id=academic_year_id
    )
    return AcademicYearOut.with_holidays(year, holidays)


@router.get("", dependencies=READ)
def list_academic_years(factory: SessionFactoryDep) -> list[AcademicYearSummaryOut]:
    """Every academic year, by start date."""
    years = academic_years.list_academic_years(factory=factory)
    return [AcademicYearSummaryOut.of(year) for year in years]


@router.post("", status_code=status.HTTP_201_CREATED, dependencies=WRITE)
def create_academic_year(
    body: AcademicYearIn, factory: SessionFactoryDep, actor: ActorDep
) -> AcademicYearOut:
    created = academic_years.create_academic_year(
        factory=factory,
        label=body.label,
        start=body.start,
        end=body.end,
        scheme=body.scheme.to_core(),
        holidays=[h.to_core() for h in body.holidays],
        us_federal_holidays=body.us_federal_holidays,
        actor=actor,
    )
    assert created.id is not None
    return _year_out(factory, created.id)


@router.get("/{academic_year_id}", dependencies=READ)
def get_academic_year(academic_year_id: YearId, factory: SessionFactoryDep) -> AcademicYearOut:
    return _year_out(factory, academic_year_id)


@router.get("/{academic_year_id}/blocks", dependencies=READ)
def list_blocks(academic_year_id: YearId, factory: SessionFactoryDep) -> list[BlockOut]:
    year, _ = academic_years.get_academic_year(factory=factory, academic_year_id=academic_year_id)
    return [BlockOut.of(block) for block in year.blocks]


@router.get("/{academic_year_id}/holidays", dependencies=READ)
def list_holidays(academic_year_id: YearId, factory: SessionFactoryDep) -> list[HolidayOut]:
    holidays = academic_years.list_holidays(factory=factory, academic_year_id=academic_year_id)
    return [HolidayOut.of(h) for h in holidays]


@router.post(
    "/{academic_year_id}/holidays", status_code=status.HTTP_201_CREATED, dependencies=WRITE
)
def add_holiday(
    academic_year_id: YearId, body: HolidayIn, factory: SessionFactoryDep, actor: ActorDep
) -> HolidayOut:
    added = academic_years.add_holiday(
        factory=factory, academic_year_id=academic_year_id, holiday=body.to_core(), actor=actor
    )
    return HolidayOut.of(added)


@router.post("/{academic_year_id}/holidays/us-federal", dependencies=WRITE)
def add_us_federal_holidays(
    academic_year_id: YearId, factory: SessionFactoryDep, actor: ActorDep
) -> list[HolidayOut]:
    """Adds the observed US federal holidays within the year; answers all its holidays."""
    holidays = academic_years.add_us_federal_holidays(
        factory=factory, academic_year_id=academic_year_id, actor=actor
    )
    return [HolidayOut.of(h) for h in holidays]


@router.delete(
    "/{academic_year_id}/holidays/{holiday_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=WRITE,
)
def remove_holiday(
    academic_year_id: YearId, holiday_id: HolidayId, factory: SessionFactoryDep, actor: ActorDep
) -> None:
    academic_years.remove_holiday(
        factory=factory, academic_year_id=academic_year_id, holiday_id=holiday_id, actor=actor
    )


@router.delete("/{academic_year_id}", status_code=status.HTTP_204_NO_CONTENT, dependencies=WRITE)
def delete_academic_year(
    academic_year_id: YearId, factory: SessionFactoryDep, actor: ActorDep
) -> None:
    academic_years.delete_academic_year(
        factory=factory, academic_year_id=academic_year_id, actor=actor
    )


# A preview writes nothing, so 409 is not derived from an actor; it answers the same 409.
@router.post("/{academic_year_id}/next/preview", dependencies=WRITE, responses=error_responses(409))
def preview_next_year(
    academic_year_id: YearId, body: NextYearIn, factory: SessionFactoryDep
) -> NextYearOut:
    """What starting the next year would do; nothing is written."""
    plan = rollover.preview_next_year(
        factory=factory, from_year_id=academic_year_id, request=body.to_core()
    )
    return NextYearOut.of(plan)


@router.post("/{academic_year_id}/next", status_code=status.HTTP_201_CREATED, dependencies=WRITE)
def start_next_year(
    academic_year_id: YearId, body: NextYearIn, factory: SessionFactoryDep, actor: ActorDep
) -> NextYearOut:
    """Start the academic year after this one; answers the plan with the stored year."""
    plan = rollover.start_next_year(
        factory=factory, from_year_id=academic_year_id, request=body.to_core(), actor=actor
    )
    assert plan.year.id is not None
    return NextYearOut.of(plan, _year_out(factory, plan.year.id))
