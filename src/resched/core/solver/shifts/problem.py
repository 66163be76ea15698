"""The input and output of the shift scheduler, and the names of its soft goals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from resched.core.model import (
    Absence,
    AbsenceStatus,
    Assignment,
    Block,
    BlockAssignment,
    CoverageRequirement,
    Person,
    Program,
    Request,
    Rotation,
    ShiftType,
)
from resched.core.rules import Finding

# Penalty names: the keys of SolveConfig.weights / ShiftProblem.weights and of Penalty.name.
REQUEST_DAY_OFF = "request_day_off"
REQUEST_SHIFT_ON = "request_shift_on"
REQUEST_SHIFT_OFF = "request_shift_off"
FAIR_CALLS = "fair_calls"
FAIR_WEEKENDS = "fair_weekends"
FAIR_HOLIDAYS = "fair_holidays"
FAIR_NIGHTS = "fair_nights"
FAIR_CATCH_UP = "fair_catch_up"
CALL_SPACING = "call_spacing"
REST_8H = "rest_8h"
CONTINUITY_CLINIC = "continuity_clinic"
WEEKEND_FREE = "weekend_free"
PATTERN_DAY_OFF = "pattern_day_off"
EXTRA_SHIFT = "extra_shift"
CHANGED_ASSIGNMENT = "changed_assignment"

# A granted wish outweighs evenness by a little; a "should" of ACGME.md (rest-8h) outweighs both.
# Fairness amounts are shifts outside a pool's even spread within the range (objectives/
# fairness.py). Calls 2 nights apart (q2, scale 3 in objectives/preferences.py: 18) outweigh
# a shift outside the spread and a wish; calls 3 nights apart (q3: 6) do not, since q3 is
# within ACGME and the rhythm of a small call pool. Catching up the year to date (a shift of
# a member's catch-up not taken) is the least of the fairness goals: it only chooses who takes
# the range's spare shifts.
# Days off a rotation's pattern and shifts beyond a demand's minimum cost 1: tie-breakers that keep
# people on their rotation's work and keep surplus staffing out. A repair's changes dominate all.
DEFAULT_WEIGHTS: Mapping[str, int] = {
    REQUEST_DAY_OFF: 10,
    REQUEST_SHIFT_ON: 10,
    REQUEST_SHIFT_OFF: 10,
    FAIR_CALLS: 8,
    FAIR_WEEKENDS: 8,
    FAIR_HOLIDAYS: 8,
    FAIR_NIGHTS: 8,
    FAIR_CATCH_UP: 2,
    CALL_SPACING: 6,
    REST_8H: 20,
    CONTINUITY_CLINIC: 5,
    WEEKEND_FREE: 5,
    PATTERN_DAY_OFF: 1,
    EXTRA_SHIFT: 1,
    CHANGED_ASSIGNMENT: 1000,
}

# Year-to-date counters carried over for fairness (ShiftProblem.year_to_date).
CALLS, WEEKENDS, HOLIDAYS, NIGHTS = "calls", "weekends", "holidays", "nights"
COUNTERS: tuple[str, ...] = (CALLS, WEEKENDS, HOLIDAYS, NIGHTS)


class Mode(StrEnum):
    """``fresh``: a new schedule. ``repair``: keep ``published`` and change as few assignments
    as possible. ``warm``: a new schedule, searched from ``published`` (or the config's hints)."""

    FRESH = "fresh"
    REPAIR = "repair"
    WARM = "warm"


@dataclass(frozen=True, slots=True)
class ShiftProblem:
    """Everything the shift scheduler needs for the local dates ``start``..``end``.

    ``before`` and ``after`` are the published assignments around the range; the rules look
    across the boundaries (a call the day before the range counts for rest, call-q3, 1-in-7 and
    the 80-hour windows). ``history_start`` is the first day ``before`` is complete for: the
    default is 27 days before ``start`` when ``before`` is given (every 28-day window that
    touches the range), else ``start`` (nothing is known before it, so no window reaches back).
    ``locked`` assignments in the range are kept as they are. ``published`` is the schedule of
    the range that ``repair`` keeps (and ``warm`` starts from). ``year_to_date`` maps a person id
    to counts of ``COUNTERS`` before the range. ``weekend_rotations``: residents on these
    rotations should have a free weekend day in every two weekends (DEMO.md, Wards).
    ``lookahead_days``: without ``after``, the model also schedules this many days past
    ``end`` (from the rotation plan) and drops them from the result, so that a range does not
    end in a way the next one cannot continue legally (a call on the last day before a
    night-float block; free days a rigid rotation cannot make up for in the shared windows).
    ``catch_up``: how many shifts of a counter above the range's even spread a member behind
    the year to date may take (objectives/fairness.py); 0 keeps every range even on its own.
    """

    program: Program
    start: dt.date
    end: dt.date
    people: tuple[Person, ...]
    shift_types: tuple[ShiftType, ...]
    rotations: tuple[Rotation, ...]
    blocks: tuple[Block, ...]
    plan: tuple[BlockAssignment, ...]
    coverage: tuple[CoverageRequirement, ...]
    absences: tuple[Absence, ...] = ()
    requests: tuple[Request, ...] = ()
    holidays: tuple[dt.date, ...] = ()
    locked: tuple[Assignment, ...] = ()
    before: tuple[Assignment, ...] = ()
    after: tuple[Assignment, ...] = ()
    history_start: dt.date | None = None
    published: tuple[Assignment, ...] = ()
    year_to_date: Mapping[int, Mapping[str, int]] = field(default_factory=dict)
    weekend_rotations: frozenset[str] = frozenset()
    weights: Mapping[str, int] = field(default_factory=dict)
    mode: Mode = Mode.FRESH
    lookahead_days: int = 0
    catch_up: int = 1

    @property
    def approved_absences(self) -> tuple[Absence, ...]:
        return tuple(a for a in self.absences if a.status is AbsenceStatus.APPROVED)

    @property
    def first_day(self) -> dt.date:
        """The first day of the horizon the rules see (see ``history_start``)."""
        if self.history_start is not None:
            return min(self.history_start, self.start)
        return self.start - dt.timedelta(days=27) if self.before else self.start

    @property
    def decided_end(self) -> dt.date:
        """The last day the model decides: the range's end plus any look-ahead."""
        ahead = 0 if self.after else self.lookahead_days
        return self.end + dt.timedelta(days=ahead)

    @property
    def published_end(self) -> dt.date:
        """The last day of the result with its published context."""
        return max([self.end, *(a.date for a in self.after)])

    @property
    def last_day(self) -> dt.date:
        """The last day of the horizon the model sees."""
        return max(self.decided_end, self.published_end)


@dataclass(frozen=True, slots=True)
class ShiftSchedule:
    """The assignments of the range, and what the validator says about them.

    ``warnings`` are the validator's non-violation findings (rest-8h, approaching 80 h).
    ``added`` and ``removed`` compare the schedule with ``published`` (a repair's changes).
    """

    start: dt.date
    end: dt.date
    assignments: tuple[Assignment, ...]
    warnings: tuple[Finding, ...] = ()
    added: tuple[Assignment, ...] = ()
    removed: tuple[Assignment, ...] = ()
