"""The independent scorer on hand-made rosters: known objective, every hard rule's violation."""

from __future__ import annotations

from resched.core.bench.curtois import score_roster
from tests.core.bench.curtois_tiny import tiny

# Days 0-6, Monday to Sunday; D may not follow N.
SHIFTS = "D,480,\nN,600,D"


def test_objective_counts_requests_and_cover() -> None:
    instance = tiny(
        shifts=SHIFTS,
        staff="A,D=7|N=7,9999,0,7,1,1,2\nB,D=7|N=7,9999,0,7,1,1,2",
        on="A,0,D,3\nB,0,N,2",
        off="A,1,D,4",
        cover="0,D,2,100,1\n1,D,0,100,5\n2,N,1,50,1",
    )
    roster = {"A": ["D", "D", None, None, None, None, None], "B": [None] * 7}
    # B's on-request missed 2, A's off-request broken 4, day 0 D one short 100,
    # day 1 D one over 5, day 2 N one short 50.
    score = score_roster(instance, roster)
    assert score.objective == 2 + 4 + 100 + 5 + 50
    assert score.feasible


def test_lists_each_hard_rule_broken() -> None:
    instance = tiny(
        shifts=SHIFTS,
        staff="A,D=7|N=1,2000,1000,3,2,2,0",
        days_off="A,4",
    )
    roster = {"A": ["N", "N", "D", "D", "D", "D", "D"]}
    violations = "\n".join(score_roster(instance, roster).violations)
    assert "A day 1: D may not follow N" in violations
    assert "A day 4: works on a fixed day off" in violations
    assert "A: 2 N shifts, at most 1" in violations
    assert "A: 3600 minutes, not within [1000, 2000]" in violations
    assert "A: 7 shifts in a row from day 0, at most 3" in violations
    assert "A: 1 weekends worked, at most 0" in violations


def test_short_runs_only_away_from_the_edges() -> None:
    instance = tiny(shifts=SHIFTS, staff="A,D=7|N=7,9999,0,7,2,2,0")
    roster = {"A": ["D", None, "D", None, None, "D", None]}
    violations = score_roster(instance, roster).violations
    # Day 0's single shift and day 6's single day off touch the edges: exempt.
    assert violations == (
        "A: 1 days off in a row from day 1, at least 2",
        "A: 1 shifts in a row from day 2, at least 2",
        "A: 1 shifts in a row from day 5, at least 2",
        "A: 1 weekends worked, at most 0",
    )


def test_unknown_shifts_and_people_are_violations() -> None:
    instance = tiny()
    score = score_roster(instance, {"A": ["X", *[None] * 6], "Z": [None] * 7})
    assert score.violations == ("A day 0: unknown shift 'X'", "Z: not an employee of the instance")
