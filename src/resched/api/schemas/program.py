"""The program's generation settings (GenerationSettings)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StrictInt, StringConstraints

from resched.api.schemas.common import Code, Input, Output
from resched.core.generation_settings import DEFAULT_MAX_HEAVY_RUN, GenerationSettings
from resched.core.solver.settings import MAX_WEIGHT, effective_weights

PenaltyName = Annotated[str, StringConstraints(strict=True, max_length=40)]
Weight = Annotated[StrictInt, Field(ge=0, le=MAX_WEIGHT)]
Weights = Annotated[dict[PenaltyName, Weight], Field(max_length=50)]
Codes = Annotated[list[Code], Field(max_length=50)]


class GenerationSettingsIn(Input):
    """The program's own weights by penalty name (names left out keep the solver's default),
    the heavy rotations and their longest run, the rotations owed a free weekend day."""

    plan_weights: Weights = Field(default_factory=dict)
    shift_weights: Weights = Field(default_factory=dict)
    heavy_rotations: Codes = Field(default_factory=list)
    max_heavy_run: Annotated[StrictInt, Field(ge=0, le=100)] = DEFAULT_MAX_HEAVY_RUN
    weekend_rotations: Codes = Field(default_factory=list)

    def to_core(self) -> GenerationSettings:
        return GenerationSettings(
            plan_weights=dict(self.plan_weights),
            shift_weights=dict(self.shift_weights),
            heavy_rotations=frozenset(self.heavy_rotations),
            max_heavy_run=self.max_heavy_run,
            weekend_rotations=frozenset(self.weekend_rotations),
        )


class EffectiveWeightsOut(Output):
    plan: dict[str, int]
    shifts: dict[str, int]


class GenerationSettingsOut(Output):
    """What is stored, and ``effective_weights``: every weight each solver will use."""

    plan_weights: dict[str, int]
    shift_weights: dict[str, int]
    heavy_rotations: list[str]
    max_heavy_run: int
    weekend_rotations: list[str]
    effective_weights: EffectiveWeightsOut

    @classmethod
    def of(cls, settings: GenerationSettings) -> GenerationSettingsOut:
        effective = effective_weights(settings)
        return cls(
            plan_weights=dict(settings.plan_weights),
            shift_weights=dict(settings.shift_weights),
            heavy_rotations=sorted(settings.heavy_rotations),
            max_heavy_run=settings.max_heavy_run,
            weekend_rotations=sorted(settings.weekend_rotations),
            effective_weights=EffectiveWeightsOut(
                plan=effective["plan"], shifts=effective["shifts"]
            ),
        )
