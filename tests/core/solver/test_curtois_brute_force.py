"""The model against brute force: on small random instances (one or two staff, a week), the
model's proven optimum equals the best objective the independent scorer finds among every
roster it accepts, and the model says infeasible exactly when the scorer accepts none."""

from __future__ import annotations

import itertools
import random

import pytest

from resched.core.bench.curtois import Instance, Roster, score_roster
from resched.core.solver.config import SolveConfig
from resched.core.solver.curtois.solve import solve_instance
from resched.core.solver.result import SolveStatus
from tests.core.bench.curtois_tiny import tiny

CONFIG = SolveConfig(time_limit_s=300, num_workers=1, parameters={"max_deterministic_time": 5.0})
DAYS = 7  # one employee: 3^7 rosters; two employees get 4 days (3^8)


def _random_instance(seed: int, staff: int, days: int = DAYS) -> Instance:
    rng = random.Random(seed)
    rows = [
        f"{pid},D={rng.randint(1, 7)}|N={rng.randint(0, 3)},{rng.choice([2400, 3000, 9999])},"
        f"{rng.choice([0, 960, 1440])},{rng.randint(2, 5)},{rng.randint(1, 3)},"
        f"{rng.randint(1, 3)},{rng.randint(0, 1)}"
        for pid in "AB"[:staff]
    ]
    requests = [
        f"{rng.choice('AB'[:staff])},{rng.randrange(days)},{rng.choice('DN')},{rng.randint(1, 5)}"
        for _ in range(3)
    ]
    cover = [
        f"{d},{s},{rng.randint(0, staff)},{rng.randint(1, 20)},{rng.randint(0, 3)}"
        for d in range(days)
        for s in "DN"
    ]
    return tiny(
        days=days,
        shifts="D,480,\nN,600,D",
        staff="\n".join(rows),
        days_off=f"A,{rng.randrange(days)}",
        on="\n".join(requests[:2]),
        off=requests[2],
        cover="\n".join(cover),
    )


def _best_by_brute_force(instance: Instance) -> int | None:
    people = [s.id for s in instance.staff]
    per_person = list(itertools.product([None, "D", "N"], repeat=instance.days))
    best: int | None = None
    for choice in itertools.product(per_person, repeat=len(people)):
        roster: Roster = dict(zip(people, choice, strict=True))
        score = score_roster(instance, roster)
        if score.feasible and (best is None or score.objective < best):
            best = score.objective
    return best


@pytest.mark.parametrize("seed", range(12))
def test_one_employee(seed: int) -> None:
    _agree(_random_instance(seed, staff=1))


@pytest.mark.parametrize("seed", range(3))
def test_two_employees(seed: int) -> None:
    _agree(_random_instance(100 + seed, staff=2, days=4))


def _agree(instance: Instance) -> None:
    expected = _best_by_brute_force(instance)
    result = solve_instance(instance, CONFIG)
    if expected is None:
        assert result.status is SolveStatus.INFEASIBLE
    else:
        assert (result.status, result.objective) == (SolveStatus.OPTIMAL, expected)
