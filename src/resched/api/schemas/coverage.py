"""Coverage requirements: daily demands per shift type, with who is eligible."""

from __future__ import annotations

import datetime as dt

from pydantic import Field, ValidationInfo, field_validator

from resched.api.schemas.common import (
    Code,
    Count,
    Credential,
    Day,
    Input,
    Label,
    Output,
    Pgy,
    Weekday,
)
from resched.core.model import CoverageRequirement, Eligibility, HolidayRule, Role


class EligibilityIn(Input):
    """Who may fill the demand; empty lists and null bounds mean "no restriction"."""

    roles: list[Role] = Field(default_factory=list, max_length=2)
    pgy_min: Pgy | None = None
    pgy_max: Pgy | None = None
    rotations: list[Code] = Field(default_factory=list, max_length=50)
    credentials: list[Credential] = Field(default_factory=list, max_length=20)


# A year of single dates is far more than any date-scoped rule needs; the cap bounds the row.
MAX_DATES = 366


class CoverageIn(Input):
    name: Label = ""
    shift_code: Code
    weekdays: list[Weekday] = Field(min_length=1, max_length=7)
    min_count: Count
    max_count: Count
    eligibility: EligibilityIn = Field(default_factory=EligibilityIn)
    dates: list[Day] = Field(
        default_factory=list,
        max_length=MAX_DATES,
        description="ISO dates; when given, the requirement applies only on these",
    )
    except_dates: list[Day] = Field(
        default_factory=list,
        max_length=MAX_DATES,
        description="ISO dates the requirement never applies on",
    )
    holidays: HolidayRule = Field(
        default=HolidayRule.ANY,
        description="on the academic year's holidays: any (like other days), not_on_holidays "
        "(never), holidays_only (only then)",
    )

    @field_validator("except_dates")
    @classmethod
    def _not_both(cls, except_dates: list[dt.date], info: ValidationInfo) -> list[dt.date]:
        both = sorted(set(except_dates) & set(info.data.get("dates", ())))
        if both:
            raise ValueError(f"{both[0].isoformat()} is in both dates and except_dates")
        return except_dates

    def to_core(self) -> CoverageRequirement:
        eligibility = self.eligibility
        return CoverageRequirement(
            name=self.name,
            shift_code=self.shift_code,
            weekdays=frozenset(self.weekdays),
            min_count=self.min_count,
            max_count=self.max_count,
            eligibility=Eligibility(
                roles=frozenset(eligibility.roles),
                pgy_min=eligibility.pgy_min,
                pgy_max=eligibility.pgy_max,
                rotations=frozenset(eligibility.rotations),
                credentials=frozenset(eligibility.credentials),
            ),
            dates=frozenset(self.dates),
            except_dates=frozenset(self.except_dates),
            holidays=self.holidays,
        )


class CoverageOut(Output):
    id: int
    name: str
    shift_code: str
    weekdays: list[int]
    min_count: int
    max_count: int
    eligibility: EligibilityIn
    dates: list[dt.date]
    except_dates: list[dt.date]
    holidays: HolidayRule

    @classmethod
    def of(cls, coverage: CoverageRequirement) -> CoverageOut:
        assert coverage.id is not None
        eligibility = coverage.eligibility
        return cls(
            id=coverage.id,
            name=coverage.name,
            shift_code=coverage.shift_code,
            weekdays=sorted(coverage.weekdays),
            min_count=coverage.min_count,
            max_count=coverage.max_count,
            eligibility=EligibilityIn(
                roles=sorted(eligibility.roles),
                pgy_min=eligibility.pgy_min,
                pgy_max=eligibility.pgy_max,
                rotations=sorted(eligibility.rotations),
                credentials=sorted(eligibility.credentials),
            ),
            dates=sorted(coverage.dates),
            except_dates=sorted(coverage.except_dates),
            holidays=coverage.holidays,
        )
