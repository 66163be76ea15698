"""Coverage requirements: daily demands per shift type, with who is eligible."""

from __future__ import annotations

from pydantic import Field

from resched.api.schemas.common import Code, Count, Credential, Input, Label, Output, Pgy, Weekday
from resched.core.model import CoverageRequirement, Eligibility, Role


class EligibilityIn(Input):
    """Who may fill the demand; empty lists and null bounds mean "no restriction"."""

    roles: list[Role] = Field(default_factory=list, max_length=2)
    pgy_min: Pgy | None = None
    pgy_max: Pgy | None = None
    rotations: list[Code] = Field(default_factory=list, max_length=50)
    credentials: list[Credential] = Field(default_factory=list, max_length=20)


class CoverageIn(Input):
    name: Label = ""
    shift_code: Code
    weekdays: list[Weekday] = Field(min_length=1, max_length=7)
    min_count: Count
    max_count: Count
    eligibility: EligibilityIn = Field(default_factory=EligibilityIn)

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
        )


class CoverageOut(Output):
    id: int
    name: str
    shift_code: str
    weekdays: list[int]
    min_count: int
    max_count: int
    eligibility: EligibilityIn

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
        )
