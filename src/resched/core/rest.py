"""Rest between a resident's shifts as the generator keeps it (issue 14, "Chained shifts").

ACGME.md asks 8 h between duty periods only as a "should" (the validator's ``rest-8h``
warning), and lets a duty period hold any shifts that follow each other within the merge gap:
an emergency day and night make one legal 24 h stretch. A chief resident sends that back, so
the generator is stricter, by program setting (GenerationSettings):

- ``min-rest``: a shift starts at least ``min_rest_hours`` after the previous one ended
  (transition minutes included, as in the validator's intervals), unless the program allows
  that sequence (a morning then an afternoon clinic session, call from home after a day). The
  forbidden gaps run from 0 to the larger of the minimum rest and the merge gap, so shifts are
  never chained into one duty period outside an allowed sequence. One long shift type (24 h
  in-house call) stays allowed: what is forbidden is building the stretch from a pair.
- ``night-float-free-day``: after the last night of a night-float run, nothing starts on the
  next calendar day.

Residents only, like the duty-hour rules. ``off`` shifts are no shifts here. Pure: the solver
(solver/shifts/conflicts.py) and the chain report (core/chains.py) both read ``breaches``.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from resched.core.generation_settings import HALF_DAY, KIND_SELECTOR, ShiftSequence
from resched.core.intervals import Interval
from resched.core.model import Program, ShiftKind, ShiftType

MIN_REST = "min-rest"
NIGHT_FLOAT_FREE_DAY = "night-float-free-day"
HALF_DAY_MINUTES = 6 * 60
_HOUR = 3600


def matches(selector: str, shift: ShiftType) -> bool:
    """Whether ``shift`` is what the selector names (see GenerationSettings' ``HALF_DAY``)."""
    if selector == HALF_DAY:
        return shift.kind is ShiftKind.WORK and shift.minutes <= HALF_DAY_MINUTES
    if selector.startswith(KIND_SELECTOR):
        return shift.kind.value == selector.removeprefix(KIND_SELECTOR)
    return shift.code == selector


def selector_error(selector: str, shift_codes: Collection[str] | None) -> str | None:
    """Why a selector names nothing, or None. ``shift_codes`` None: codes are not checked."""
    if selector == HALF_DAY:
        return None
    if selector.startswith(KIND_SELECTOR):
        kinds = [k.value for k in ShiftKind if k is not ShiftKind.OFF]
        if selector.removeprefix(KIND_SELECTOR) in kinds:
            return None
        return f"{selector!r} is not a shift kind; kinds: {', '.join(kinds)}"
    if not selector:
        return "a shift type code, kind:<kind> or half-day is needed"
    if shift_codes is not None and selector not in shift_codes:
        return f"{selector!r} is not a shift type of the program"
    return None


@dataclass(frozen=True, slots=True)
class RestPolicy:
    min_rest_seconds: int
    merge_gap_seconds: int
    sequences: tuple[ShiftSequence, ...]

    @classmethod
    def of(cls, program: Program) -> RestPolicy:
        settings = program.generation
        return cls(
            round(settings.min_rest_hours * _HOUR),
            program.rules.merge_gap_minutes * 60,
            settings.allowed_sequences,
        )

    @property
    def hours(self) -> float:
        return self.min_rest_seconds / _HOUR

    @property
    def window(self) -> int:
        """Gaps shorter than this are forbidden outside an allowed sequence."""
        return max(self.min_rest_seconds, self.merge_gap_seconds)

    def allows(self, first: ShiftType, following: ShiftType) -> bool:
        return any(matches(s.first, first) and matches(s.next, following) for s in self.sequences)


class Placed(Protocol):
    """A shift placed in time: a solver slot, or an assignment with its interval."""

    @property
    def day(self) -> dt.date: ...
    @property
    def shift(self) -> ShiftType: ...
    @property
    def interval(self) -> Interval: ...


@dataclass(frozen=True, slots=True)
class Breach[P: Placed]:
    rule: str  # MIN_REST or NIGHT_FLOAT_FREE_DAY
    first: P
    next: P
    gap_seconds: int  # from the end of ``first`` to the start of ``next``


def breaches[P: Placed](items: Sequence[P], policy: RestPolicy) -> Iterator[Breach[P]]:
    """Pairs of one resident's shifts that the policy forbids together; ``items`` sorted by
    start. Overlapping pairs are left to ``double-booked``."""
    shifts = [s for s in items if s.shift.kind is not ShiftKind.OFF]
    starts = [s.interval.start for s in shifts]
    seen: set[tuple[int, int]] = set()
    for a in shifts:
        end = a.interval.end
        for b in shifts[bisect_left(starts, end) : bisect_left(starts, end + policy.window)]:
            if not policy.allows(a.shift, b.shift):
                seen.add((id(a), id(b)))
                yield Breach(MIN_REST, a, b, b.interval.start - end)
    by_day: dict[dt.date, list[P]] = {}
    for s in shifts:
        by_day.setdefault(s.day, []).append(s)
    for a in shifts:
        if a.shift.kind is not ShiftKind.NIGHT_FLOAT:
            continue
        for b in by_day.get(a.day + dt.timedelta(days=1), ()):
            fresh = (id(a), id(b)) not in seen
            if b.shift.kind is not ShiftKind.NIGHT_FLOAT and fresh and b is not a:
                yield Breach(NIGHT_FLOAT_FREE_DAY, a, b, b.interval.start - a.interval.end)
