"""The days the model sees: the range to decide plus the published days around it.

Every rule of ACGME.md looks across the range's boundaries, so the model is built over a
horizon: history before the range, the range, and published days after it. Assignments outside
the range are fixed; windows that lie wholly outside it are not the solver's business.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from resched.core.calendar import split_block
from resched.core.intervals import DateRange, day_boundaries, leave_days, load_zone
from resched.core.model import Absence, Block, BlockAssignment
from resched.core.rules.windows import Window, averaging_windows
from resched.core.solver.shifts.problem import ShiftProblem

_DAY = dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Horizon:
    """Local days ``first``..``last``; the solver decides ``start``..``end`` within them
    (``end`` includes the problem's look-ahead days).
    ``bounds[i]`` is the UTC second of the local midnight that opens horizon day ``i``."""

    first: dt.date
    start: dt.date
    end: dt.date
    last: dt.date
    zone: ZoneInfo
    bounds: list[int]
    windows: tuple[Window, ...]

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def index(self, day: dt.date) -> int:
        return (day - self.first).days

    def day(self, index: int) -> dt.date:
        return self.first + dt.timedelta(days=index)

    def decides(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def range_days(self) -> Iterator[dt.date]:
        day = self.start
        while day <= self.end:
            yield day
            day += _DAY


def build_horizon(problem: ShiftProblem) -> Horizon:
    """The horizon of ``problem`` with the averaging windows that touch the range (the others
    hold only published days: nothing to decide there)."""
    zone = load_zone(problem.program.timezone)
    span = DateRange(problem.first_day, problem.last_day)
    first_decided = (problem.start - span.start).days
    last_decided = (problem.decided_end - span.start).days
    windows = tuple(
        w
        for w in averaging_windows(span, problem.program.rules.averaging, problem.blocks)
        if w.lo <= last_decided and w.hi > first_decided
    )
    return Horizon(
        first=span.start,
        start=problem.start,
        end=problem.decided_end,
        last=span.end,
        zone=zone,
        bounds=day_boundaries(span, zone),
        windows=windows,
    )


class RotationCalendar:
    """Which rotation each resident is on, day by day, from the rotation plan."""

    def __init__(self, blocks: tuple[Block, ...], plan: tuple[BlockAssignment, ...]) -> None:
        by_number = {b.number: b for b in blocks}
        self._spans: dict[int, list[tuple[dt.date, dt.date, str]]] = defaultdict(list)
        for cell in plan:
            block = by_number.get(cell.block_number)
            if block is None:
                continue
            part = block if cell.half is None else split_block(block)[cell.half - 1]
            self._spans[cell.person_id].append((part.start, part.end, cell.rotation_code))

    def rotation(self, person_id: int, day: dt.date) -> str | None:
        for first, last, code in self._spans.get(person_id, ()):
            if first <= day <= last:
                return code
        return None


def leave_by_person(absences: tuple[Absence, ...]) -> dict[int, frozenset[dt.date]]:
    """Leave days of each person (approved absences only, as the validator reads them)."""
    grouped: dict[int, list[Absence]] = defaultdict(list)
    for absence in absences:
        grouped[absence.person_id].append(absence)
    return {pid: leave_days(items) for pid, items in grouped.items()}
