"""What the fairness goal counts (calls, weekends, holidays, nights) and the year-to-date tally
carried into the next range. No ortools here: services read the tally while building a problem.

These counters differ on purpose from the fairness report's (core/fairness.py): at-home call
counts as a call, and each assignment counts rather than each date. A night is the same thing
in both (``is_night``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Container, Iterable

from resched.core.fairness import is_night
from resched.core.model import Assignment, ShiftKind, ShiftType
from resched.core.solver.shifts.problem import CALLS, COUNTERS, HOLIDAYS, WEEKENDS

_CALL_KINDS = frozenset({ShiftKind.IN_HOUSE_CALL, ShiftKind.AT_HOME_CALL})
_WORKED = frozenset(k for k in ShiftKind if k is not ShiftKind.OFF)


def counts(counter: str, shift: ShiftType, day: dt.date, holidays: Container[dt.date]) -> bool:
    """Whether a shift on a day counts toward a fairness counter (see ``COUNTERS``)."""
    if counter == CALLS:
        return shift.kind in _CALL_KINDS
    if counter == WEEKENDS:
        return shift.kind in _WORKED and day.isoweekday() >= 6
    if counter == HOLIDAYS:
        return shift.kind in _WORKED and day in holidays
    return is_night(shift)


def tally(
    assignments: Iterable[Assignment],
    shift_types: Iterable[ShiftType],
    holidays: Container[dt.date],
) -> dict[int, dict[str, int]]:
    """Counts per person of each counter: the year to date to carry into the next range."""
    shifts = {s.code: s for s in shift_types}
    found: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTERS, 0))
    for a in assignments:
        for counter in COUNTERS:
            if counts(counter, shifts[a.shift_code], a.date, holidays):
                found[a.person_id][counter] += 1
    return dict(found)
