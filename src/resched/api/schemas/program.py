"""The program (name, time zone, rule settings) and its generation settings."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StrictBool, StrictFloat, StrictInt, StringConstraints

from resched.api.schemas.common import Code, Input, Name, Output
from resched.core.generation_settings import (
    DEFAULT_CATCH_UP,
    DEFAULT_MAX_HEAVY_RUN,
    DEFAULT_MIN_REST_HOURS,
    DEFAULT_SEQUENCES,
    MAX_MIN_REST_HOURS,
    GenerationSettings,
    ShiftSequence,
)
from resched.core.model import Averaging, Program, RuleConfig
from resched.core.solver.settings import MAX_CATCH_UP, MAX_WEIGHT, effective_weights
from resched.services.program import MAX_UNDO_HOURS

PenaltyName = Annotated[str, StringConstraints(strict=True, max_length=40)]
Weight = Annotated[StrictInt, Field(ge=0, le=MAX_WEIGHT)]
Weights = Annotated[dict[PenaltyName, Weight], Field(max_length=50)]
Codes = Annotated[list[Code], Field(max_length=50)]
Selector = Annotated[str, StringConstraints(strict=True, min_length=1, max_length=40)]


class SequenceIn(Input):
    """A resident may work ``next`` right after ``first`` (less than the minimum rest apart):
    each a shift type code, ``kind:<kind>`` or ``half-day`` (a work shift of at most 6 h)."""

    first: Selector
    next: Selector


class SequenceOut(Output):
    first: str
    next: str


_DEFAULT_SEQUENCES = [{"first": s.first, "next": s.next} for s in DEFAULT_SEQUENCES]


class GenerationSettingsIn(Input):
    """The program's own weights by penalty name (names left out keep the solver's default),
    the heavy rotations and their longest run, the rotations owed a free weekend day, and
    ``catch_up``: how many calls (weekends, nights, holidays) above a block's even spread a
    resident behind the year to date may take in one block."""

    plan_weights: Weights = Field(default_factory=dict)
    shift_weights: Weights = Field(default_factory=dict)
    heavy_rotations: Codes = Field(default_factory=list)
    max_heavy_run: Annotated[StrictInt, Field(ge=0, le=100)] = DEFAULT_MAX_HEAVY_RUN
    weekend_rotations: Codes = Field(default_factory=list)
    catch_up: Annotated[StrictInt, Field(ge=0, le=MAX_CATCH_UP)] = DEFAULT_CATCH_UP
    # The least rest between a resident's shifts in generation (the validator's 8 h warning
    # stays); left out: 10 h.
    min_rest_hours: Annotated[
        StrictFloat | StrictInt, Field(ge=0, le=MAX_MIN_REST_HOURS, allow_inf_nan=False)
    ] = DEFAULT_MIN_REST_HOURS
    allowed_sequences: Annotated[list[SequenceIn], Field(max_length=50)] = Field(
        default_factory=lambda: [SequenceIn(**s) for s in _DEFAULT_SEQUENCES]
    )

    def to_core(self) -> GenerationSettings:
        return GenerationSettings(
            plan_weights=dict(self.plan_weights),
            shift_weights=dict(self.shift_weights),
            heavy_rotations=frozenset(self.heavy_rotations),
            max_heavy_run=self.max_heavy_run,
            weekend_rotations=frozenset(self.weekend_rotations),
            catch_up=self.catch_up,
            min_rest_hours=float(self.min_rest_hours),
            allowed_sequences=tuple(ShiftSequence(s.first, s.next) for s in self.allowed_sequences),
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
    catch_up: int
    min_rest_hours: float
    allowed_sequences: list[SequenceOut]
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
            catch_up=settings.catch_up,
            min_rest_hours=settings.min_rest_hours,
            allowed_sequences=[
                SequenceOut(first=s.first, next=s.next) for s in settings.allowed_sequences
            ],
            effective_weights=EffectiveWeightsOut(
                plan=effective["plan"], shifts=effective["shifts"]
            ),
        )


# Wide bounds only: core/rule_limits.py refuses a looser-than-ACGME value with a message that
# names the ACGME limit, which a schema bound cannot.
Hours = Annotated[StrictFloat, Field(ge=0, le=1000, allow_inf_nan=False)]
Small = Annotated[StrictInt, Field(ge=0, le=10_000)]
# JSON object keys are strings: "1" as the PGY level of a supervision ratio.
PgyKey = Annotated[int, Field(ge=1, le=10, description="PGY level")]
_DEFAULT = RuleConfig()


class RulesIn(Input):
    """The rule settings of ACGME.md; a setting left out takes its ACGME default. Each may be
    stricter than ACGME, never looser (a looser one is a 422 naming ``rules.<setting>``)."""

    hours_per_week_limit: Hours = _DEFAULT.hours_per_week_limit
    averaging: Averaging = _DEFAULT.averaging
    approaching_hours: Hours = _DEFAULT.approaching_hours
    call_every_nth_night: Small = _DEFAULT.call_every_nth_night
    night_float_max_consecutive: Small = _DEFAULT.night_float_max_consecutive
    free_day_every_n_days: Small = _DEFAULT.free_day_every_n_days
    max_continuous_hours: Hours = _DEFAULT.max_continuous_hours
    transition_hours: Hours = _DEFAULT.transition_hours
    rest_after_24h_hours: Hours = _DEFAULT.rest_after_24h_hours
    rest_between_periods_hours: Hours = _DEFAULT.rest_between_periods_hours
    merge_gap_minutes: Small = _DEFAULT.merge_gap_minutes
    supervision_ratio: Annotated[dict[PgyKey, Small], Field(min_length=1, max_length=10)] = Field(
        default_factory=lambda: dict(_DEFAULT.supervision_ratio)
    )

    def to_core(self) -> RuleConfig:
        values = self.model_dump()
        values["supervision_ratio"] = dict(sorted(self.supervision_ratio.items()))
        return RuleConfig(**values)


class ProgramIn(Input):
    """The whole program setting: PUT replaces it (generation settings stay as they are)."""

    name: Name
    timezone: Annotated[str, StringConstraints(strict=True, min_length=1, max_length=64)]
    freeze_horizon_days: Annotated[StrictInt, Field(ge=0, le=365)] = 7
    # Apply a swap that breaks no rule and is outside the freeze horizon without waiting for a
    # coordinator; how long a change can be undone (0: never).
    auto_approve_changes: StrictBool = True
    undo_window_hours: Annotated[StrictInt, Field(ge=0, le=MAX_UNDO_HOURS)] = 24
    # The shift type code that backup (jeopardy) cover is put on; null or "": none.
    jeopardy_shift: Annotated[str, StringConstraints(strict=True, max_length=32)] | None = None
    rules: RulesIn = Field(default_factory=RulesIn)


class RulesOut(Output):
    hours_per_week_limit: float
    averaging: Averaging
    approaching_hours: float
    call_every_nth_night: int
    night_float_max_consecutive: int
    free_day_every_n_days: int
    max_continuous_hours: float
    transition_hours: float
    rest_after_24h_hours: float
    rest_between_periods_hours: float
    merge_gap_minutes: int
    supervision_ratio: dict[str, int]


class ProgramOut(Output):
    id: int
    name: str
    timezone: str
    freeze_horizon_days: int
    auto_approve_changes: bool
    undo_window_hours: int
    jeopardy_shift: str | None
    rules: RulesOut

    @classmethod
    def of(cls, program: Program) -> ProgramOut:
        rules = program.rules
        ratio = {str(level): n for level, n in sorted(rules.supervision_ratio.items())}
        return cls(
            id=program.id or 0,
            name=program.name,
            timezone=program.timezone,
            freeze_horizon_days=program.freeze_horizon_days,
            auto_approve_changes=program.auto_approve_changes,
            undo_window_hours=program.undo_window_hours,
            jeopardy_shift=program.jeopardy_shift,
            rules=RulesOut(
                **{
                    name: getattr(rules, name)
                    for name in RulesOut.model_fields
                    if name != "supervision_ratio"
                },
                supervision_ratio=ratio,
            ),
        )
