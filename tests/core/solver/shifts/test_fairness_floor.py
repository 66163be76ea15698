"""A fairness pool's least cost (objectives/fairness_floor.py): exact against enumeration, the
totals the coverage allows, and a redundant constraint that never cuts off a schedule."""

from __future__ import annotations

import itertools
import random
from dataclasses import replace

import pytest

import resched.core.solver.shifts.objectives.fairness as fairness
from resched.core.solver.shifts import schedule_shifts
from resched.core.solver.shifts.build import build_model
from resched.core.solver.shifts.horizon import RotationCalendar
from resched.core.solver.shifts.objectives.fairness_floor import (
    Member,
    Prices,
    least_pool_cost,
    member_cost,
    pool_totals,
)
from resched.core.solver.shifts.pools import fairness_pools
from resched.core.solver.shifts.problem import CALLS, DEFAULT_WEIGHTS, FAIR_CALLS, FAIR_CATCH_UP
from tests.core.solver.shifts.tiny import CALL, config, need, problem, residents

PRICES = Prices(8, 2)


def _enumerated(members: list[Member], totals: range, prices: Prices) -> int:
    """Every whole band and every split of every total: the definition, by brute force."""
    best = None
    for lo in range(max(m.cap for m in members) + 1):
        for counts in itertools.product(*(range(m.cap + 1) for m in members)):
            if sum(counts) in totals:
                cost = sum(
                    member_cost(m, lo, c, prices) for m, c in zip(members, counts, strict=True)
                )
                best = cost if best is None else min(best, cost)
    return 0 if best is None else best


def test_the_docstrings_faculty_pool_costs_twelve() -> None:
    members = [Member(1, 8)] * 9 + [Member(0, 8)] * 7
    assert least_pool_cost(members, range(28, 29), PRICES) == 12
    # A total the band fits at no cost: 16 x 1 + 9 catch-ups (25) or one more (26 = 16 + 9 + 1).
    assert least_pool_cost(members, range(25, 26), PRICES) == 0
    assert least_pool_cost(members, range(20, 29), PRICES) == 0  # some total in range fits


@pytest.mark.parametrize("seed", range(40))
def test_least_cost_is_the_enumerated_minimum(seed: int) -> None:
    rng = random.Random(seed)
    members = [
        Member(rng.choice((0, 0, 1, 2)), rng.randint(0, 4)) for _ in range(rng.randint(2, 4))
    ]
    low = rng.randint(0, 8)
    totals = range(low, low + rng.randint(1, 3))
    prices = Prices(rng.choice((8, 3)), rng.choice((2, 0, 5)))
    assert least_pool_cost(members, totals, prices) == _enumerated(members, totals, prices)


def _behind() -> object:
    """Four PGY-2 residents sharing one call a night for 8 nights (the pool's total is 8), three
    of them a call behind the fourth's year: each may take one call above the band (lo + 2),
    which 8 calls among 4 cannot give all three: lo = 1 leaves two allowances untaken (2 x 2),
    lo = 0 puts a call outside the band (8)."""
    base = problem(residents(2, 2, 2, 2), [CALL], [need("CALL", 1)], days=8)
    return replace(base, year_to_date={1: {CALLS: 3}, 2: {CALLS: 1}, 3: {CALLS: 1}, 4: {CALLS: 1}})


def test_the_coverage_fixes_the_pools_total() -> None:
    p = _behind()
    ctx = build_model(p, dict(DEFAULT_WEIGHTS)).ctx
    calendar = ctx.candidates.rotations or RotationCalendar((), ())
    (pool,) = [x for x in fairness_pools(p, ctx.vars.decided, calendar) if x.counter == CALLS]
    assert pool_totals(ctx, {s.key for _, mine in pool.members for s in mine}) == range(8, 9)
    # A demand others could fill as well leaves the pool anywhere from 0 up to its maximum.
    shared = replace(p, coverage=(need("CALL", 1, 2),))
    ctx = build_model(shared, dict(DEFAULT_WEIGHTS)).ctx
    counted = {s.key for s in ctx.vars.decided}
    assert pool_totals(ctx, counted) == range(8, 17)


def test_the_floor_keeps_the_optimum(monkeypatch: pytest.MonkeyPatch) -> None:
    p = _behind()
    results = {}
    for floor in (False, True):
        monkeypatch.setattr(fairness, "FLOOR", floor)
        results[floor] = schedule_shifts(p, config(num_workers=1))
    assert results[False].status.value == results[True].status.value == "optimal"
    assert results[True].objective == results[False].objective
    fair = {FAIR_CALLS, FAIR_CATCH_UP}
    paid = sum(x.cost for x in results[True].penalties if x.name in fair)
    assert paid >= 4  # no schedule pays less than the floor (the rest of the rules add 2)
    assert results[True].best_bound is not None
    assert results[True].best_bound >= 4


def test_a_model_without_coverage_gets_no_floor(monkeypatch: pytest.MonkeyPatch) -> None:
    """A test's model of one family (``only``) has no coverage to rest the floor on."""
    monkeypatch.setattr(fairness, "FLOOR", True)
    p = _behind()
    alone = build_model(p, dict(DEFAULT_WEIGHTS), only=frozenset({"fairness"}))
    whole = build_model(p, dict(DEFAULT_WEIGHTS), only=frozenset({"fairness", "coverage"}))
    monkeypatch.setattr(fairness, "FLOOR", False)
    without = build_model(p, dict(DEFAULT_WEIGHTS), only=frozenset({"fairness", "coverage"}))
    assert len(whole.ctx.model.proto.constraints) == len(without.ctx.model.proto.constraints) + 1
    assert "coverage" not in alone.ctx.families
