"""Rotations with capacities, yearly requirements and weekly quotas (replaced as a whole)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StrictInt

from resched.api.schemas.common import Code, Count, Flag, Input, Name, Output, Pgy, WeekdayKey
from resched.core.model import Capacity, Rotation, WeeklyQuota, YearlyRequirement

Colour = Annotated[str, Field(strict=True, pattern=r"^#[0-9a-fA-F]{6}$")]
PerWeek = Annotated[StrictInt, Field(ge=0, le=7)]
Blocks = Annotated[StrictInt, Field(ge=0, le=26)]


class CapacityIn(Input):
    pgy_min: Pgy
    pgy_max: Pgy
    min_count: Count
    max_count: Count


class RequirementIn(Input):
    pgy: Pgy
    min_blocks: Blocks
    max_blocks: Blocks


class WeeklyQuotaIn(Input):
    shift_codes: list[Code] = Field(min_length=1, max_length=20)
    min_count: PerWeek
    max_count: PerWeek


class RotationIn(Input):
    code: Code
    name: Name
    weekly_pattern: dict[WeekdayKey, list[Code]] = Field(
        default_factory=dict, description="ISO weekday (1 = Monday) -> shift codes"
    )
    capacities: list[CapacityIn] = Field(default_factory=list, max_length=20)
    requirements: list[RequirementIn] = Field(default_factory=list, max_length=20)
    weekly_quotas: list[WeeklyQuotaIn] = Field(default_factory=list, max_length=20)
    leave_eligible: Flag = False
    allows_half_block: Flag = False
    not_adjacent_to: list[Code] = Field(default_factory=list, max_length=50)
    prerequisites: list[Code] = Field(
        default_factory=list,
        max_length=50,
        description="rotation codes a resident must have done a block of earlier in the year",
    )
    colour: Colour = "#cccccc"

    def to_core(self) -> Rotation:
        return Rotation(
            code=self.code,
            name=self.name,
            weekly_pattern={day: tuple(codes) for day, codes in self.weekly_pattern.items()},
            capacities=tuple(Capacity(**c.model_dump()) for c in self.capacities),
            requirements=tuple(YearlyRequirement(**r.model_dump()) for r in self.requirements),
            weekly_quotas=tuple(
                WeeklyQuota(tuple(q.shift_codes), q.min_count, q.max_count)
                for q in self.weekly_quotas
            ),
            leave_eligible=self.leave_eligible,
            allows_half_block=self.allows_half_block,
            not_adjacent_to=tuple(self.not_adjacent_to),
            prerequisites=tuple(self.prerequisites),
            colour=self.colour,
        )


class RotationOut(Output):
    id: int
    code: str
    name: str
    weekly_pattern: dict[int, list[str]]
    capacities: list[CapacityIn]
    requirements: list[RequirementIn]
    weekly_quotas: list[WeeklyQuotaIn]
    leave_eligible: bool
    allows_half_block: bool
    not_adjacent_to: list[str]
    prerequisites: list[str]
    colour: str

    @classmethod
    def of(cls, rotation: Rotation) -> RotationOut:
        assert rotation.id is not None
        return cls(
            id=rotation.id,
            code=rotation.code,
            name=rotation.name,
            weekly_pattern={day: list(codes) for day, codes in rotation.weekly_pattern.items()},
            capacities=[CapacityIn(**_fields(c)) for c in rotation.capacities],
            requirements=[RequirementIn(**_fields(r)) for r in rotation.requirements],
            weekly_quotas=[
                WeeklyQuotaIn(
                    shift_codes=list(q.shift_codes), min_count=q.min_count, max_count=q.max_count
                )
                for q in rotation.weekly_quotas
            ],
            leave_eligible=rotation.leave_eligible,
            allows_half_block=rotation.allows_half_block,
            not_adjacent_to=list(rotation.not_adjacent_to),
            prerequisites=list(rotation.prerequisites),
            colour=rotation.colour,
        )


def _fields(value: Capacity | YearlyRequirement) -> dict[str, int]:
    return {name: getattr(value, name) for name in value.__dataclass_fields__}
