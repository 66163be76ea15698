"""The Curtois & Qu model on tiny instances, one rule at a time (exact optimum or infeasible),
and instance 1 to its published optimum. Deterministic limits only: one worker, a budget of
CP-SAT's deterministic time; a generous wall clock that a healthy run never reaches."""

from __future__ import annotations

from pathlib import Path

import pytest

from resched.core.bench.curtois import Instance, read_instance, score_roster
from resched.core.solver.config import SolveConfig
from resched.core.solver.curtois.solve import CurtoisResult, solve_instance
from resched.core.solver.result import SolveStatus
from tests.core.bench.curtois_tiny import INSTANCES, tiny

CONFIG = SolveConfig(time_limit_s=300, num_workers=1, parameters={"max_deterministic_time": 5.0})
EVERY_DAY = "\n".join(f"{d},D,1,10,1" for d in range(7))


def _solve(instance: Instance) -> CurtoisResult:
    result = solve_instance(instance, CONFIG)
    if result.roster is not None:
        score = score_roster(instance, result.roster)
        assert score.violations == ()
        assert score.objective == result.objective
    return result


def _optimum(instance: Instance) -> int | None:
    result = _solve(instance)
    assert result.status is SolveStatus.OPTIMAL
    return result.objective


def _staff(limits: str = "D=7", most: int = 9999, least: int = 0, runs: str = "7,1,1,2") -> str:
    return f"A,{limits},{most},{least},{runs}"


@pytest.mark.parametrize(
    ("runs", "expected"),
    [
        ("7,1,1,2", 0),  # nothing stops a full week
        ("3,1,1,2", 10),  # on x3, off, on x3
        ("3,1,2,2", 20),  # on x3, off x2, on x2: a single day off between runs is too short
        ("2,1,3,2", 30),  # on x2, off x3, on x2
    ],
)
def test_longest_run_and_shortest_break(runs: str, expected: int) -> None:
    instance = tiny(shifts="D,480,", staff=_staff(runs=runs), cover=EVERY_DAY)
    assert _optimum(instance) == expected


def test_shortest_run_is_exempt_at_the_edges() -> None:
    middle = "0,D,0,10,1\n1,D,0,10,1\n2,D,1,10,1\n3,D,0,10,1\n4,D,0,10,1"
    instance = tiny(days=5, shifts="D,480,", staff=_staff(runs="5,3,1,2"), cover=middle)
    assert _optimum(instance) == 2  # a run of three around day 2, two days over cover
    edge = "0,D,1,10,1\n1,D,0,10,1\n2,D,0,10,1"
    instance = tiny(days=3, shifts="D,480,", staff=_staff(runs="5,3,1,2"), cover=edge)
    assert _optimum(instance) == 0  # day 0 alone: the run may continue before the horizon


def test_forbidden_succession() -> None:
    cover = "0,N,1,10,1\n1,D,1,7,1"
    staff = _staff(limits="D=7|N=7")
    assert _optimum(tiny(days=2, shifts="D,480,\nN,480,D", staff=staff, cover=cover)) == 7
    assert _optimum(tiny(days=2, shifts="D,480,\nN,480,", staff=staff, cover=cover)) == 0


def test_per_shift_maximum_and_at_most_one_shift_a_day() -> None:
    cover = "0,D,1,10,1\n1,D,1,10,1\n0,N,1,3,1"
    instance = tiny(days=2, staff=_staff(limits="D=1|N=7"), cover=cover, shifts="D,480,\nN,480,")
    assert _optimum(instance) == 10 + 0  # D on one day; N on day 0 needs the other day's D


def test_minutes_between_min_and_max() -> None:
    over = "\n".join(f"{d},D,0,10,1" for d in range(7))
    assert _optimum(tiny(shifts="D,480,", staff=_staff(least=960), cover=over)) == 2
    assert _optimum(tiny(shifts="D,480,", staff=_staff(most=960), cover=EVERY_DAY)) == 50
    instance = tiny(shifts="D,480,", staff=_staff(most=900, least=500))
    assert _solve(instance).status is SolveStatus.INFEASIBLE


def test_weekends() -> None:
    weekend = "5,D,1,10,1\n6,D,1,10,1\n12,D,1,30,1"
    staff = _staff(limits="D=14", runs="7,1,1,1")
    # One weekend: the second (30) rather than the first (10 + 10).
    assert _optimum(tiny(days=14, shifts="D,480,", staff=staff, cover=weekend)) == 20
    staff = _staff(limits="D=14", runs="7,1,1,0")
    assert _optimum(tiny(days=14, shifts="D,480,", staff=staff, cover=weekend)) == 50


def test_days_off_and_requests() -> None:
    instance = tiny(
        shifts="D,480,\nN,480,",
        staff=_staff(limits="D=7|N=0"),
        days_off="A,2",
        on="A,0,D,3\nA,1,N,4\nA,2,D,5",
        off="A,3,D,6",
        cover="3,D,1,2,0",
    )
    # N cannot be worked (4), day 2 is a day off (5), working day 3 costs 6 > its cover's 2.
    assert _optimum(instance) == 4 + 5 + 2


def test_instance_1_reaches_its_published_optimum() -> None:
    instance = read_instance(Path(INSTANCES) / "Instance1.txt")
    config = SolveConfig(
        time_limit_s=600, num_workers=1, parameters={"max_deterministic_time": 30.0}
    )
    result = solve_instance(instance, config)
    assert (result.status, result.objective, result.bound) == (SolveStatus.OPTIMAL, 607, 607)
    assert result.roster is not None
    assert score_roster(instance, result.roster).objective == 607
