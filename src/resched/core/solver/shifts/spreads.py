"""The fairness of a generated range in numbers: for each counter (calls, weekends, holidays,
nights) and pool, the spread (highest minus lowest) of the members' counts in the range and of
their year to date through it; for each resident, the shortest gap between two in-house calls.

Pure and ortools-free: the generation report (services/generation/run.py) and the benchmarks
compute it from the problem a range was generated for and its assignments. It counts with the
fairness goal's counters (counters.py) among the goal's own pools (pools.py, from the same
candidate shifts before the solver settles clashes with published ones), so it measures what
the goal balances: a spread of 2 in a pool with nobody behind is a goal the solver gave up.
Gaps are in nights: calls on the 4th and the 7th are 3 nights apart; the last published call
before the range counts for the first gap in it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from resched.core.fairness import Spread, spread_json, spread_of_values
from resched.core.model import Assignment, Person, Role, ShiftKind
from resched.core.solver.shifts.candidates import build_candidates
from resched.core.solver.shifts.counters import counts
from resched.core.solver.shifts.horizon import RotationCalendar, build_horizon
from resched.core.solver.shifts.pools import Pool, catch_up_allowances, fairness_pools
from resched.core.solver.shifts.problem import ShiftProblem
from resched.core.solver.shifts.slots import Placer

FORMAT = "resched.range-fairness/v1"


@dataclass(frozen=True, slots=True)
class PoolSpread:
    """One counter among one pool: the range's counts and the year to date through the range.
    ``catching_up``: members behind the year to date, allowed above the range's band."""

    counter: str
    pool: str
    members: tuple[Person, ...]
    in_range: Spread
    year: Spread
    catching_up: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CallGap:
    """A resident's shortest gap between two in-house calls, the later one in the range."""

    person: Person
    nights: int
    first: dt.date
    second: dt.date


@dataclass(frozen=True, slots=True)
class RangeFairness:
    start: dt.date
    end: dt.date
    catch_up: int
    pools: tuple[PoolSpread, ...]
    gaps: tuple[CallGap, ...]  # shortest first

    @property
    def shortest_gap(self) -> CallGap | None:
        return self.gaps[0] if self.gaps else None

    def widest(self, counter: str) -> int:
        """The largest spread in the range among the counter's pools (0 without pools)."""
        return max((p.in_range.spread for p in self.pools if p.counter == counter), default=0)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "catch_up": self.catch_up,
            "pools": [_pool_json(p) for p in self.pools],
            "call_gaps": [_gap_json(g) for g in self.gaps],
        }


def measure_range_fairness(
    problem: ShiftProblem, assignments: Iterable[Assignment]
) -> RangeFairness:
    """The spreads of ``assignments`` (the range's schedule) among the pools of ``problem``,
    the year to date being ``problem.year_to_date`` plus the range."""
    mine = [a for a in assignments if problem.start <= a.date <= problem.end]
    horizon = build_horizon(problem)
    candidates = build_candidates(problem, horizon, Placer(horizon))
    calendar = candidates.rotations or RotationCalendar((), ())
    pools = fairness_pools(problem, candidates.slots, calendar)
    return RangeFairness(
        start=problem.start,
        end=problem.end,
        catch_up=problem.catch_up,
        pools=tuple(_spread(problem, pool, mine) for pool in pools),
        gaps=_gaps(problem, mine),
    )


def _spread(problem: ShiftProblem, pool: Pool, assignments: Sequence[Assignment]) -> PoolSpread:
    shifts = {s.code: s for s in problem.shift_types}
    holidays = frozenset(problem.holidays)
    ids = {p.id for p, _ in pool.members}
    found: dict[int, int] = dict.fromkeys(ids, 0)
    for a in assignments:
        if a.person_id in ids and counts(pool.counter, shifts[a.shift_code], a.date, holidays):
            found[a.person_id] += 1
    before = {pid: problem.year_to_date.get(pid, {}).get(pool.counter, 0) for pid in ids}
    allowed = catch_up_allowances(before, max(0, problem.catch_up))
    people = [p for p, _ in pool.members]
    return PoolSpread(
        counter=pool.counter,
        pool=pool.label,
        members=tuple(people),
        in_range=spread_of_values(pool.counter, [(p.code, found[p.id]) for p in people]),
        year=spread_of_values(pool.counter, [(p.code, before[p.id] + found[p.id]) for p in people]),
        catching_up=tuple(p.code for p in people if allowed.get(p.id)),
    )


def _gaps(problem: ShiftProblem, assignments: Sequence[Assignment]) -> tuple[CallGap, ...]:
    calls = {s.code for s in problem.shift_types if s.kind is ShiftKind.IN_HOUSE_CALL}
    residents = {p.id: p for p in problem.people if p.role is Role.RESIDENT}
    days: dict[int, set[dt.date]] = defaultdict(set)
    for done in (*problem.before, *assignments):
        if done.shift_code in calls and done.person_id in residents and done.date <= problem.end:
            days[done.person_id].add(done.date)
    found = []
    for pid, dates in days.items():
        pairs = pairwise(sorted(dates))
        inside = [(first, then) for first, then in pairs if then >= problem.start]
        if inside:
            first, then = min(inside, key=lambda p: (p[1] - p[0], p[1]))
            found.append(CallGap(residents[pid], (then - first).days, first, then))
    return tuple(sorted(found, key=lambda g: (g.nights, g.second, g.person.code)))


def _pool_json(p: PoolSpread) -> dict[str, Any]:
    return {
        "counter": p.counter,
        "pool": p.pool,
        "members": [m.code for m in p.members],
        "range": spread_json(p.in_range),
        "year": spread_json(p.year),
        "catching_up": list(p.catching_up),
    }


def _gap_json(g: CallGap) -> dict[str, Any]:
    return {
        "person": g.person.code,
        "name": g.person.name,
        "nights": g.nights,
        "first": g.first.isoformat(),
        "second": g.second.isoformat(),
    }
