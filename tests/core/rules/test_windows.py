"""Rolling windows catch a heavy stretch that straddles blocks; failing windows merge into one
finding with the worst value (checked against a brute-force count)."""

from __future__ import annotations

import datetime as dt

from resched.core.model import Block
from resched.core.rules import DateRange
from resched.core.rules.windows import block_windows, rolling_windows
from tests.core.builders import Doc

START = dt.date(2026, 7, 1)
SHIFT_MINUTES = 880  # 06:00-20:40: 24 of them in 28 days is 88 h/week
HEAVY = [d for d in range(14, 42) if (d - 14) % 7 != 6]


def heavy_stretch(averaging: str) -> Doc:
    doc = Doc("2026-07-01", days=56, rules={"averaging": averaging}).resident("r1", pgy=2)
    return doc.shift("LONG", "06:00", SHIFT_MINUTES).assign_days("r1", "LONG", HEAVY)


def brute_force_failing() -> list[tuple[int, float]]:
    """(window start, h/week) of every 28-day window over 80, by plain counting."""
    failing = []
    for start in range(56 - 27):
        worked = sum(SHIFT_MINUTES for d in HEAVY if start <= d < start + 28) / 60
        if worked / 4 > 80:
            failing.append((start, worked / 4))
    return failing


def test_rolling_windows_catch_a_stretch_straddling_two_blocks() -> None:
    failing = brute_force_failing()
    assert failing, "the scenario must break the rule somewhere"
    [finding] = heavy_stretch("rolling").violations("hours-80")
    first, last = failing[0][0], failing[-1][0]
    assert finding.start == START + dt.timedelta(days=first)
    assert finding.end == START + dt.timedelta(days=last + 27)
    assert finding.value == round(max(v for _, v in failing), 2) == 88.0


def test_block_averaging_over_28_day_blocks_misses_it() -> None:
    assert heavy_stretch("block").violations("hours-80") == []


def test_rolling_windows_one_per_start_day() -> None:
    windows = rolling_windows(DateRange(START, START + dt.timedelta(days=29)))
    assert [(w.lo, w.hi) for w in windows] == [(0, 28), (1, 29), (2, 30)]
    assert windows[-1].end == START + dt.timedelta(days=29)


def test_short_range_is_one_window() -> None:
    [window] = rolling_windows(DateRange(START, START + dt.timedelta(days=9)))
    assert (window.lo, window.hi) == (0, 10)


def test_program_blocks_are_clipped_to_the_range() -> None:
    blocks = [
        Block(1, dt.date(2026, 6, 3), dt.date(2026, 6, 30)),
        Block(2, dt.date(2026, 7, 1), dt.date(2026, 7, 28)),
        Block(3, dt.date(2026, 7, 29), dt.date(2026, 8, 25)),
    ]
    windows = block_windows(DateRange(dt.date(2026, 7, 10), dt.date(2026, 8, 1)), blocks)
    assert [(w.start.day, w.end.day) for w in windows] == [(10, 28), (29, 1)]


def test_separate_heavy_stretches_give_separate_findings() -> None:
    doc = Doc("2026-07-01", days=120).resident("r1", pgy=2).shift("LONG", "06:00", SHIFT_MINUTES)
    doc.assign_days("r1", "LONG", [d for d in range(0, 28) if d % 7 != 6])
    doc.assign_days("r1", "LONG", [d for d in range(80, 108) if d % 7 != 6])
    found = doc.violations("hours-80")
    assert len(found) == 2
    assert found[0].end < found[1].start
