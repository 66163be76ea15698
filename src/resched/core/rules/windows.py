"""Averaging windows of ACGME.md and the merging of consecutive failing windows into one finding."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from resched.core.intervals import DateRange
from resched.core.model import Averaging, Block
from resched.core.rules.findings import Finding, Severity, round_value

WINDOW_DAYS = 28


@dataclass(frozen=True, slots=True)
class Window:
    """Days [lo, hi) of the evaluated range, i.e. local dates ``start``..``end`` inclusive."""

    lo: int
    hi: int
    start: dt.date
    end: dt.date


def _window(rng: DateRange, lo: int, hi: int) -> Window:
    return Window(lo, hi, rng.start + dt.timedelta(days=lo), rng.start + dt.timedelta(days=hi - 1))


def rolling_windows(rng: DateRange) -> list[Window]:
    """Every 28-day window [d, d+27] inside the range, one per start day; a range shorter than
    28 days is one window (the whole range)."""
    n = rng.days
    if n < WINDOW_DAYS:
        return [_window(rng, 0, n)]
    return [_window(rng, d, d + WINDOW_DAYS) for d in range(n - WINDOW_DAYS + 1)]


def block_windows(rng: DateRange, blocks: Sequence[Block]) -> list[Window]:
    """The program's blocks clipped to the range. Without blocks, 28-day blocks from the range's
    first day (the common 13 x 28 scheme) stand in, the last one possibly shorter."""
    if not blocks:
        n = rng.days
        return [_window(rng, lo, min(lo + WINDOW_DAYS, n)) for lo in range(0, n, WINDOW_DAYS)]
    windows = []
    for block in sorted(blocks, key=lambda b: (b.start, b.end)):
        first, last = max(block.start, rng.start), min(block.end, rng.end)
        if first <= last:
            windows.append(_window(rng, rng.index(first), rng.index(last) + 1))
    return windows


def averaging_windows(
    rng: DateRange, averaging: Averaging, blocks: Sequence[Block]
) -> list[Window]:
    if averaging == Averaging.BLOCK:
        return block_windows(rng, blocks)
    return rolling_windows(rng)


@dataclass(frozen=True, slots=True)
class Hit:
    """One failing window: its position in the window list, the measured value and limit, and
    ``badness`` to pick the worst window of a run (larger is worse)."""

    index: int
    severity: Severity
    value: float
    limit: float
    badness: float


def runs(hits: Iterable[Hit]) -> list[list[Hit]]:
    """Group hits (in window order) into runs of consecutive windows with the same severity."""
    grouped: list[list[Hit]] = []
    for hit in hits:
        last = grouped[-1][-1] if grouped else None
        if last is not None and last.index + 1 == hit.index and last.severity is hit.severity:
            grouped[-1].append(hit)
        else:
            grouped.append([hit])
    return grouped


def worst(run: Sequence[Hit]) -> Hit:
    """The worst hit of a run; the earliest one on ties, so the result never depends on order."""
    best = run[0]
    for hit in run[1:]:
        if hit.badness > best.badness:
            best = hit
    return best


# (worst hit, its window, start of the run's span, end of the span) -> message
Wording = Callable[[Hit, Window, dt.date, dt.date], str]


def findings_from_hits(
    hits: Iterable[Hit],
    windows: Sequence[Window],
    *,
    rule: str,
    person_id: int,
    wording: Wording,
) -> list[Finding]:
    """One finding per run of consecutive failing windows, spanning them, with the worst value."""
    found = []
    for run in runs(hits):
        top = worst(run)
        start, end = windows[run[0].index].start, windows[run[-1].index].end
        found.append(
            Finding(
                rule=rule,
                severity=top.severity,
                person_id=person_id,
                shift_code=None,
                start=start,
                end=end,
                value=round_value(top.value, top.limit),
                limit=top.limit,
                message=wording(top, windows[top.index], start, end),
            )
        )
    return found
