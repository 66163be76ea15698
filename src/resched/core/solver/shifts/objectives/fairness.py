"""Fairness of calls, weekends, holidays and nights: even within the range, the year to date
made up gradually.

Members are compared within a pool (pools.py: the same PGY level or faculty, the same rotations
over the range, the same days of leave). Within the range, everyone's count should lie in one
band [lo, lo + 1], lo chosen by the solver: the penalty is the number of shifts a member lies
outside it. An even spread is then worth 0, exactly (an average of 5.6 calls is 5 or 6 each,
which costs nothing), and the linear relaxation proves that bound at once, where a distance
from the mean is never 0 when the mean is fractional and left the search with a bound far
below any schedule.

The year to date does not enter the band: evening it out in one range is what put 8 calls two
nights apart on a resident who had few before. Instead a member behind the pool's year to date
may lie up to ``catch_up`` shifts above the band at no cost (pools.catch_up_allowances), and a
lighter goal asks them to take that allowance (the top of their own band, lo + 1 + allowance).
A range thus spreads at most 1 + ``catch_up`` apart, and a deficit closes over a few ranges.
Each member's free range stays an interval tied to lo, so the relaxation keeps its bound: with
nobody behind it is exact as before; with one member behind, some whole lo always fits the
pool's total, so 0 is reachable whenever the relaxation says so; with several behind, their
targets may not add up with whole counts, and the relaxation's bound can fall short by a
few catch-up units (weight 2 each), never by a whole year's deficit as a band over the year to
date did.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from resched.core.model import Person
from resched.core.solver.shifts.context import ModelContext
from resched.core.solver.shifts.horizon import RotationCalendar
from resched.core.solver.shifts.objectives.fairness_floor import (
    Member,
    Prices,
    least_pool_cost,
    pool_totals,
)
from resched.core.solver.shifts.pools import Pool, catch_up_allowances, fairness_pools
from resched.core.solver.shifts.problem import (
    CALLS,
    FAIR_CALLS,
    FAIR_CATCH_UP,
    FAIR_HOLIDAYS,
    FAIR_NIGHTS,
    FAIR_WEEKENDS,
    HOLIDAYS,
    NIGHTS,
    WEEKENDS,
)
from resched.core.solver.shifts.wording import name

COVERAGE_FAMILY = "coverage"  # build.py's name of the coverage demands, which the floor rests on
FLOOR = True  # each pool's least cost as a redundant constraint (fairness_floor.py)

_PENALTY = {
    CALLS: FAIR_CALLS,
    WEEKENDS: FAIR_WEEKENDS,
    HOLIDAYS: FAIR_HOLIDAYS,
    NIGHTS: FAIR_NIGHTS,
}


def add_fairness(ctx: ModelContext) -> None:
    calendar = ctx.candidates.rotations or RotationCalendar((), ())
    for pool in fairness_pools(ctx.problem, ctx.vars.decided, calendar):
        _band(ctx, pool)


def _band(ctx: ModelContext, pool: Pool) -> None:
    counter, label = pool.counter, pool.label
    ytd = {p.id: ctx.problem.year_to_date.get(p.id, {}).get(counter, 0) for p, _ in pool.members}
    extra = catch_up_allowances(ytd, max(0, ctx.problem.catch_up))
    most = max(len(mine) for _, mine in pool.members)
    lo = ctx.model.new_int_var(0, most, f"band[{counter},{label}]")
    prices = Prices(ctx.weights[_PENALTY[counter]], ctx.weights[FAIR_CATCH_UP])
    charged: list[Any] = []  # the pool's weighted penalties
    for person, mine in pool.members:
        count = sum(s.literal for s in mine)
        allowed = extra.get(person.id, 0)
        outside = ctx.model.new_int_var(0, most, f"fair[{counter},{person.code}]")
        ctx.model.add(outside >= count - lo - 1 - allowed)
        ctx.model.add(outside >= lo - count)
        wording = _wording(person, counter, label, allowed)
        ctx.penalise(_PENALTY[counter], outside, wording, person_id=person.id)
        charged.append(prices.outside * outside)
        if allowed:
            short = ctx.model.new_int_var(0, most + 1 + allowed, f"catch[{counter},{person.code}]")
            ctx.model.add(short >= lo + 1 + allowed - count)
            text = _catch_up_wording(person, counter, label, ytd[person.id])
            ctx.penalise(FAIR_CATCH_UP, short, text, person_id=person.id)
            charged.append(prices.short * short)
    if FLOOR and COVERAGE_FAMILY in ctx.families:
        members = [Member(extra.get(p.id, 0), len(mine)) for p, mine in pool.members]
        counted = {s.key for _, mine in pool.members for s in mine}
        least = least_pool_cost(members, pool_totals(ctx, counted), prices)
        if least > 0:
            ctx.model.add(sum(charged) >= least)


def _wording(person: Person, counter: str, pool: str, allowed: int) -> Callable[[int], str]:
    def text(units: int) -> str:
        catching = f" (catch-up of {allowed} allowed)" if allowed else ""
        return (
            f"{name(person)}: {units} {counter} outside the even spread among {pool} "
            f"in this range{catching}"
        )

    return text


def _catch_up_wording(person: Person, counter: str, pool: str, before: int) -> Callable[[int], str]:
    def text(units: int) -> str:
        return (
            f"{name(person)}: {units} {counter} fewer than the catch-up allowed among {pool} "
            f"({before} in the year before this range)"
        )

    return text
