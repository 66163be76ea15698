"""Sets of slots that cannot all be worked, found once over each person's sorted slots.

Pure: these are the interval rules of ACGME.md read as forbidden combinations.
- ``double-booked`` (everyone): two slots whose intervals overlap.
- ``continuous-duty`` (residents): a chain of duty slots, each starting less than the merge gap
  after the chain so far ends (so the validator would merge them into one duty period), longer
  than 24 + 4 h or scheduled longer than 24 h.
- ``rest-after-24h`` (residents): a chain of 24 h or more and a duty slot starting between the
  merge gap and 14 h after it. Slightly stricter than the validator where a later slot would
  extend the period instead; it never lets a violation through.
- ``min-rest`` and ``night-float-free-day`` (residents): the program's rest between shifts
  (core/rest.py); a pair each, under the family ``REST`` of build.py.
Soft pairs: ``rest-8h`` (gap between merge gap and 8 h) and call spacing (calls 2 or 3 days
apart: legal, but q4 or more is preferred).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from resched.core.model import ShiftKind
from resched.core.rest import RestPolicy, breaches
from resched.core.rules.context import Limits
from resched.core.rules.findings import CONTINUOUS_DUTY, DOUBLE_BOOKED, REST_AFTER_24H
from resched.core.solver.shifts.slots import Slot

_MAX_CHAIN = 8  # a longer chain of merged shifts is a model of a different job; stop looking


@dataclass(frozen=True, slots=True)
class Clash:
    """Slots of one person that must not all be worked, under the rule that forbids them."""

    rule: str
    slots: tuple[Slot, ...]
    seconds: int  # the measured length (overlap, period, or gap) for explanations


@dataclass(frozen=True, slots=True)
class Timing:
    merge_gap: int
    limits: Limits
    rest: RestPolicy | None = None  # None: no rest beyond ACGME's (the planner's repairs)


def overlaps(slots: Sequence[Slot]) -> Iterator[Clash]:
    """Pairs of overlapping intervals; ``slots`` sorted by start."""
    for i, a in enumerate(slots):
        for b in slots[i + 1 :]:
            if b.interval.start >= a.interval.end:
                break
            overlap = min(a.interval.end, b.interval.end) - b.interval.start
            yield Clash(DOUBLE_BOOKED, (a, b), overlap)


def _starting(duty: Sequence[Slot], starts: list[int], lo: int, hi: int) -> Sequence[Slot]:
    """Duty slots starting in [lo, hi)."""
    return duty[bisect_left(starts, lo) : bisect_left(starts, hi)]


def duty_clashes(duty: Sequence[Slot], timing: Timing) -> Iterator[Clash]:
    """continuous-duty and rest-after-24h clashes of one resident; ``duty`` sorted by start."""
    starts = [s.interval.start for s in duty]
    limits = timing.limits
    for first in duty:
        origin = first.interval.start
        stack: list[tuple[tuple[Slot, ...], int, int]] = [
            ((first,), first.interval.end, first.interval.scheduled_end)
        ]
        while stack:
            chain, end, scheduled = stack.pop()
            if end - origin > limits.max_total_seconds or (
                scheduled - origin > limits.max_scheduled_seconds
            ):
                yield Clash(CONTINUOUS_DUTY, chain, end - origin)
                continue
            if end - origin >= limits.long_period_seconds:
                after = end + limits.rest_after_24h_seconds
                for nxt in _starting(duty, starts, end + timing.merge_gap, after):
                    yield Clash(REST_AFTER_24H, (*chain, nxt), nxt.interval.start - end)
            if len(chain) >= _MAX_CHAIN:
                continue
            for nxt in _starting(duty, starts, end, end + timing.merge_gap):
                iv = nxt.interval
                stack.append(((*chain, nxt), max(end, iv.end), max(scheduled, iv.scheduled_end)))


def rest_clashes(slots: Sequence[Slot], timing: Timing) -> Iterator[Clash]:
    """The program's rest between one resident's shifts; ``slots`` sorted by start."""
    if timing.rest is not None:
        for breach in breaches(slots, timing.rest):
            yield Clash(breach.rule, (breach.first, breach.next), breach.gap_seconds)


def short_rests(duty: Sequence[Slot], timing: Timing) -> Iterator[tuple[Slot, Slot, int]]:
    """Pairs of duty slots with a gap from the merge gap up to (not including) 8 h."""
    starts = [s.interval.start for s in duty]
    for a in duty:
        end = a.interval.end
        for b in _starting(duty, starts, end + timing.merge_gap, end + timing.limits.rest_seconds):
            yield a, b, b.interval.start - end


def close_calls(slots: Sequence[Slot]) -> Iterator[tuple[Slot, Slot, int]]:
    """Pairs of in-house calls of one person starting 2 or 3 days apart."""
    calls = [s for s in slots if s.kind is ShiftKind.IN_HOUSE_CALL]
    for i, a in enumerate(calls):
        for b in calls[i + 1 :]:
            apart = (b.day - a.day).days
            if apart > 3:
                break
            if apart >= 2:
                yield a, b, apart
