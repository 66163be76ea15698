"""The fairness report of a generated range (core/solver/shifts/spreads.py, stored with the
draft's generation report) in plain words for the draft review: one row per counter and pool,
and the shortest gaps between two calls."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

COUNTER_WORDS = {
    "calls": "Calls",
    "weekends": "Weekend shifts",
    "nights": "Nights",
    "holidays": "Holiday shifts",
}
SHORT_GAP = 3  # nights: calls closer than this are what the spacing goal avoids


@dataclass(frozen=True, slots=True)
class SpreadRow:
    what: str  # "Calls"
    among: str  # "PGY-2 on WARDS (5 residents)"
    in_range: str  # "5-6 each (spread 1)"
    year: str  # "11-13 (spread 2)"
    catching_up: str  # "" or "Dr A, Dr B may take 1 more to catch up"
    uneven: bool  # a spread in the range above 1 + the catch-up: worth a look


@dataclass(frozen=True, slots=True)
class FairnessView:
    start: dt.date
    end: dt.date
    rows: tuple[SpreadRow, ...]
    shortest_gap: str  # "Shortest gap between two calls: 3 nights (Dr X, 4 and 7 Aug)"
    close_calls: tuple[str, ...]  # residents with calls under SHORT_GAP nights apart


def fairness_view(report: Mapping[str, Any], names: Mapping[str, str]) -> FairnessView:
    """``names``: person code -> name (a code not in it is shown as it is). Rows keep the
    report's order: calls, weekends, holidays, nights."""
    catch_up = int(report.get("catch_up", 0))
    rows = tuple(_row(p, names, catch_up) for p in report.get("pools", ()))
    gaps = list(report.get("call_gaps", ()))
    return FairnessView(
        start=dt.date.fromisoformat(report["start"]),
        end=dt.date.fromisoformat(report["end"]),
        rows=rows,
        shortest_gap=_shortest(gaps),
        close_calls=tuple(_gap_text(g) for g in gaps if g["nights"] < SHORT_GAP),
    )


def _range_text(spread: Mapping[str, Any], each: bool) -> str:
    low, high = spread["min"], spread["max"]
    counts = f"{low}" if low == high else f"{low}-{high}"
    return f"{counts}{' each' if each else ''} (spread {spread['spread']})"


def _row(pool: Mapping[str, Any], names: Mapping[str, str], catch_up: int) -> SpreadRow:
    members = pool["members"]
    catching = [names.get(code, code) for code in pool.get("catching_up", ())]
    note = ""
    if catching:
        note = f"{', '.join(catching)} may take up to {catch_up} more to catch up the year"
    return SpreadRow(
        what=COUNTER_WORDS.get(pool["counter"], pool["counter"]),
        among=f"{pool['pool']} ({len(members)} people)",
        in_range=_range_text(pool["range"], each=True),
        year=_range_text(pool["year"], each=False),
        catching_up=note,
        uneven=pool["range"]["spread"] > 1 + (catch_up if catching else 0),
    )


def _day(text: str) -> str:
    day = dt.date.fromisoformat(text)
    return f"{day.day} {day:%b}"


def _gap_text(gap: Mapping[str, Any]) -> str:
    return f"{gap['name']}, {_day(gap['first'])} and {_day(gap['second'])}"


def _shortest(gaps: list[Mapping[str, Any]]) -> str:
    if not gaps:
        return "No resident has two in-house calls close enough to measure a gap."
    first = gaps[0]
    nights = first["nights"]
    return (
        f"Shortest gap between two calls: {nights} night{'' if nights == 1 else 's'} "
        f"({_gap_text(first)})"
    )
