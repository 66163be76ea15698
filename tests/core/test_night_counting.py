"""One definition of a night: the fairness report and the generator's year-to-date counters
agree on which shifts are nights (they differ on purpose only on calls and on counting dates
versus assignments; core/fairness.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from resched.core.fairness import is_night
from resched.core.model import Assignment, ShiftKind, ShiftType
from resched.core.solver.shifts.counters import tally
from resched.core.solver.shifts.problem import NIGHTS


def shift(start: str, minutes: int, kind: ShiftKind) -> ShiftType:
    return ShiftType("S", "S", dt.time.fromisoformat(start), minutes, kind)


@pytest.mark.parametrize(
    ("start", "minutes", "kind", "night"),
    [
        ("12:00", 720, ShiftKind.WORK, False),  # ends at 24:00 sharp: not a night
        ("12:01", 720, ShiftKind.WORK, True),
        ("19:00", 720, ShiftKind.NIGHT_FLOAT, True),
        ("08:00", 240, ShiftKind.NIGHT_FLOAT, True),  # night float by kind, whatever the hours
        ("07:00", 1440, ShiftKind.IN_HOUSE_CALL, False),  # a call counts as a call
        ("17:00", 840, ShiftKind.AT_HOME_CALL, False),
        ("20:00", 720, ShiftKind.OFF, False),
    ],
)
def test_report_and_generator_count_the_same_nights(
    start: str, minutes: int, kind: ShiftKind, night: bool
) -> None:
    s = shift(start, minutes, kind)
    counted = tally([Assignment(1, dt.date(2026, 7, 1), "S")], [s], holidays=())
    assert is_night(s) is night
    assert counted.get(1, {}).get(NIGHTS, 0) == int(night)
