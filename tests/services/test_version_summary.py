"""The review's quality sentence from a stored solver report, and when publishing asks to
confirm (CONFIRM_GAP, unmet requests). Pure: no database."""

from __future__ import annotations

import pytest

from resched.core.solver import SolveStatus
from resched.services.generation import CONFIRM_GAP, GenerationKind, GenerationOutcome
from resched.services.generation.summary import GroupSpread, VersionSummary, quality_sentence
from resched.services.request_outcomes import HonouredCount


def _outcome(status: SolveStatus, gap: float | None, seconds: float = 10.0) -> GenerationOutcome:
    return GenerationOutcome(GenerationKind.SHIFTS, status, "", gap=gap, seconds=seconds)


STOPPED = "The search stopped after 10 s"
OPTIMAL = "The search proved this schedule the best possible (optimal, 10 s)."


@pytest.mark.parametrize(
    ("status", "gap", "sentence"),
    [
        (SolveStatus.OPTIMAL, 0.0, OPTIMAL),
        (SolveStatus.FEASIBLE, 0.92, f"{STOPPED}; a better schedule may exist (gap 92 %)."),
        (SolveStatus.FEASIBLE, 0.05, f"{STOPPED}, close to the best possible (gap 5 %)."),
        (SolveStatus.FEASIBLE, None, f"{STOPPED}; no bound says how close to the best it is."),
    ],
)  # fmt: skip
def test_quality_in_words(status: SolveStatus, gap: float | None, sentence: str) -> None:
    assert quality_sentence(_outcome(status, gap)) == sentence


def test_an_imported_version_says_so() -> None:
    assert "not generated" in quality_sentence(None)


@pytest.mark.parametrize(
    ("gap", "honoured", "asks"),
    [
        (None, HonouredCount(0, 0), False),
        (CONFIRM_GAP, HonouredCount(3, 3), False),  # at the limit: not above it
        (CONFIRM_GAP + 0.01, HonouredCount(3, 3), True),
        (0.0, HonouredCount(2, 3), True),
    ],
)
def test_when_publishing_asks_to_confirm(
    gap: float | None, honoured: HonouredCount, asks: bool
) -> None:
    summary = VersionSummary("", gap, honoured, ())
    assert summary.needs_confirmation is asks


def test_the_spread_in_words_per_metric_and_group() -> None:
    spreads = (
        GroupSpread("PGY-1", "calls", 2, 5),
        GroupSpread("PGY-2", "calls", 3, 3),
        GroupSpread("PGY-1", "weekend days", 0, 4),
    )
    summary = VersionSummary("", None, HonouredCount(0, 0), spreads)
    assert summary.spread_lines() == (
        "calls: PGY-1 2 to 5, PGY-2 3 to 3",
        "weekend days: PGY-1 0 to 4",
    )
