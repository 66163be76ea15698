"""Whether a generated schedule honours a request: the same reading of a wish as the
generators' objectives (solver/shifts/objectives/requests.py, solver/plan/objectives.py), over
stored assignments instead of solver variables.

- day off: no shift other than an "off" shift touches any day of the request (a night shift
  that ends in the morning takes that morning's day too);
- shift wanted: the shift on every day of the request;
- shift not wanted: that shift on none of its days;
- rotation: the rotation on every day of the request in the rotation plan;
- vacation: a leave-eligible rotation on every day of the request.

Plan requests are read against the rotation plan, shift requests against the shift schedule.
A day the schedule does not hold (no plan cell for the person; outside the dates the shift
schedule covers) has not been generated: a request with a missed day is NOT honoured, one
whose every held day is honoured but that has days not held yet is NOT_GENERATED.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from resched.core.calendar import iter_days, split_block
from resched.core.model import (
    Assignment,
    Block,
    BlockAssignment,
    Request,
    RequestKind,
    ShiftKind,
    ShiftType,
)

PLAN_KINDS = frozenset({RequestKind.ROTATION, RequestKind.VACATION})
SHIFT_KINDS = frozenset({RequestKind.DAY_OFF, RequestKind.SHIFT_ON, RequestKind.SHIFT_OFF})


class Honoured(StrEnum):
    YES = "yes"
    NO = "no"
    NOT_GENERATED = "not_generated"


@dataclass(frozen=True, slots=True)
class GeneratedSchedule:
    """What one stored version holds, as the honoured check reads it. ``shift_span`` is the
    first and last day the shift schedule covers (None: no shift schedule yet)."""

    blocks: tuple[Block, ...] = ()
    plan: tuple[BlockAssignment, ...] = ()
    shifts: tuple[Assignment, ...] = ()
    shift_types: Mapping[str, ShiftType] = field(default_factory=dict)
    leave_rotations: frozenset[str] = frozenset()
    shift_span: tuple[dt.date, dt.date] | None = None


def touched_days(day: dt.date, shift: ShiftType) -> list[dt.date]:
    """The local days a shift starting on ``day`` overlaps (wall clock: an overnight shift
    ends on the next day, a shift ending at midnight does not)."""
    start = dt.datetime.combine(day, shift.start)
    end = start + dt.timedelta(minutes=max(shift.minutes, 1))
    return list(iter_days(day, (end - dt.timedelta(microseconds=1)).date()))


class HonouredCheck:
    """Answers ``of(request)`` for many requests against one schedule, indexing it once."""

    def __init__(self, schedule: GeneratedSchedule) -> None:
        self._schedule = schedule
        self._rotation: dict[tuple[int, dt.date], str] = {}
        by_number = {b.number: b for b in schedule.blocks}
        for cell in schedule.plan:
            block = by_number.get(cell.block_number)
            if block is None:
                continue
            part = block if cell.half is None else split_block(block)[cell.half - 1]
            for day in iter_days(part.start, part.end):
                self._rotation[(cell.person_id, day)] = cell.rotation_code
        self._codes: dict[tuple[int, dt.date], set[str]] = defaultdict(set)
        self._busy: set[tuple[int, dt.date]] = set()
        for a in schedule.shifts:
            self._codes[(a.person_id, a.date)].add(a.shift_code)
            shift = schedule.shift_types.get(a.shift_code)
            if shift is not None and shift.kind is not ShiftKind.OFF:
                self._busy.update((a.person_id, d) for d in touched_days(a.date, shift))

    def of(self, request: Request) -> Honoured:
        days = list(iter_days(request.start, request.end))
        if request.kind in PLAN_KINDS:
            verdicts = [self._plan_day(request, day) for day in days]
        else:
            verdicts = [self._shift_day(request, day) for day in days]
        return _combine(verdicts)

    def _plan_day(self, request: Request, day: dt.date) -> bool | None:
        got = self._rotation.get((request.person_id, day))
        if got is None:
            return None
        if request.kind is RequestKind.VACATION:
            return got in self._schedule.leave_rotations
        return got == request.rotation_code

    def _shift_day(self, request: Request, day: dt.date) -> bool | None:
        span = self._schedule.shift_span
        if span is None or not span[0] <= day <= span[1]:
            return None
        key = (request.person_id, day)
        if request.kind is RequestKind.DAY_OFF:
            return key not in self._busy
        on = request.shift_code in self._codes.get(key, ())
        return on if request.kind is RequestKind.SHIFT_ON else not on


def _combine(verdicts: Iterable[bool | None]) -> Honoured:
    seen = list(verdicts)
    if False in seen:
        return Honoured.NO
    if None in seen or not seen:
        return Honoured.NOT_GENERATED
    return Honoured.YES


def request_honoured(request: Request, schedule: GeneratedSchedule) -> Honoured:
    return HonouredCheck(schedule).of(request)
