"""How a program wants its schedules generated: the weights of the solvers' soft goals and the
rotations some goals are about.

The program is data (LESSONS.md): which rotations are demanding and which rotations owe their
residents a free weekend day are the program's choice, as are the weights of the penalties.
The weights are the program's own values over each solver's defaults, by penalty name
(``core.solver.plan.DEFAULT_WEIGHTS``, ``core.solver.shifts.DEFAULT_WEIGHTS``); a name the
program does not set keeps the solver's default, so empty settings are the solvers' defaults.
``core.solver.settings.check_generation_settings`` checks the names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

DEFAULT_MAX_HEAVY_RUN = 2  # the planner's own default (PlanProblem.max_heavy_run)
DEFAULT_CATCH_UP = 1  # the shift scheduler's own default (ShiftProblem.catch_up)
# Rest the shift generator keeps between a resident's shifts (core/rest.py): stricter than the
# validator's 8 h "should" (ACGME.md rest-8h), which stays as it is.
DEFAULT_MIN_REST_HOURS = 10.0
MAX_MIN_REST_HOURS = 24.0

# Selectors of ShiftSequence: a shift type code, ``kind:<ShiftKind>``, or ``half-day`` (a work
# shift of at most 6 h: a clinic session).
KIND_SELECTOR = "kind:"
HALF_DAY = "half-day"


@dataclass(frozen=True, slots=True)
class ShiftSequence:
    """A resident may work ``next`` right after ``first`` (less than the minimum rest apart,
    even within one duty period). Each side is a selector (see ``HALF_DAY``)."""

    first: str
    next: str


# A morning and an afternoon clinic session; call from home after a day shift; a day's work
# after a night of call from home (home call is not duty under ACGME: no rest is owed for it).
DEFAULT_SEQUENCES: tuple[ShiftSequence, ...] = (
    ShiftSequence(HALF_DAY, HALF_DAY),
    ShiftSequence(f"{KIND_SELECTOR}work", f"{KIND_SELECTOR}at_home_call"),
    ShiftSequence(f"{KIND_SELECTOR}at_home_call", f"{KIND_SELECTOR}work"),
)


@dataclass(frozen=True, slots=True)
class GenerationSettings:
    """``plan_weights``/``shift_weights``: the program's weights by penalty name for the annual
    rotation planner and the shift scheduler. ``heavy_rotations``: rotation codes whose runs
    longer than ``max_heavy_run`` blocks are penalised and whose counts are balanced within a
    PGY. ``weekend_rotations``: rotation codes whose residents should get at least one free
    weekend day in every two weekends. ``catch_up``: how many calls (weekends, nights, holidays)
    above a block's even spread a resident behind the year to date may take in one block.
    ``min_rest_hours``: the least rest the shift generator
    leaves between two of a resident's shifts, except where ``allowed_sequences`` allows the
    pair; leaving night float also gives a free day (core/rest.py)."""

    plan_weights: Mapping[str, int] = field(default_factory=dict)
    shift_weights: Mapping[str, int] = field(default_factory=dict)
    heavy_rotations: frozenset[str] = frozenset()
    max_heavy_run: int = DEFAULT_MAX_HEAVY_RUN
    weekend_rotations: frozenset[str] = frozenset()
    catch_up: int = DEFAULT_CATCH_UP
    min_rest_hours: float = DEFAULT_MIN_REST_HOURS
    allowed_sequences: tuple[ShiftSequence, ...] = DEFAULT_SEQUENCES
