"""A proven least cost of one fairness pool, stated as a redundant constraint.

The band of a pool (fairness.py) is ``[lo, lo + 1]`` with ``lo`` a whole number, and a member
behind the year to date is asked to take ``lo + 1 + allowance``. The linear relaxation lets
``lo`` be fractional, and so it prices every pool at 0 even where no whole ``lo`` fits the
pool's total: 16 faculty sharing the 28 calls of a block, 9 of them behind by one, want 9 x 2
+ 7 x [0, 1] = 18..25 calls above ``16 lo``; with ``lo = 0`` 3 calls lie outside the band (3 x
8), with ``lo = 1`` 6 allowances go untaken (6 x 2), so the pool costs at least 12 whatever
the schedule, and the relaxation says 0. Measured on the demo year's later blocks, such pools
were most of the distance between the search's bound and its schedules
(docs/performance.md, "Where a block's gap comes from").

Here the pool's total ``T`` is bounded from the coverage demands alone (a demand whose eligible
slots lie mostly in the pool: at least its minimum less the eligible slots outside the pool,
at most its maximum), and the least cost over every whole ``lo`` and every split of a total in
that range among the members (each between 0 and their candidate slots) is computed exactly:
each member's cost is convex in their count, so adding or removing one shift at a time where it
costs least is optimal. The constraint ``sum of the pool's weighted penalties >= that least
cost`` holds for every schedule, so the optimum does not move; the bound does.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from resched.core.solver.shifts.constraints.coverage import demand_days, eligible_slots
from resched.core.solver.shifts.context import ModelContext
from resched.core.solver.shifts.slots import SlotKey

_INFINITE = 10**9


@dataclass(frozen=True, slots=True)
class Member:
    """A pool member's side of the band: ``allowance`` shifts above it at no cost; ``cap``
    candidate slots that count."""

    allowance: int
    cap: int


@dataclass(frozen=True, slots=True)
class Prices:
    """The weights of one shift outside the band and of one catch-up shift not taken."""

    outside: int
    short: int


def member_cost(member: Member, lo: int, count: int, prices: Prices) -> int:
    """What fairness.py charges a member with ``count`` shifts when the band starts at ``lo``."""
    if count < 0 or count > member.cap:
        return _INFINITE
    top = lo + 1 + member.allowance
    cost = prices.outside * (max(0, count - top) + max(0, lo - count))
    if member.allowance:
        cost += prices.short * max(0, top - count)
    return cost


def _cheapest(member: Member, lo: int, prices: Prices) -> tuple[int, int]:
    """The counts at which the member costs least, given the band at ``lo`` and their cap."""
    top = lo + 1 + member.allowance
    low = top if member.allowance and prices.short else lo
    return min(low, member.cap), min(top, member.cap)


def _least_split(members: Sequence[Member], lo: int, total: int, prices: Prices) -> int:
    """The least cost of ``total`` shifts split among ``members`` with the band at ``lo``:
    from everyone's cheapest count, one shift at a time where it costs least (each cost is
    convex in the count, so this is optimal)."""
    counts = [_cheapest(m, lo, prices)[0] for m in members]
    cost = sum(member_cost(m, lo, c, prices) for m, c in zip(members, counts, strict=True))
    step = 1 if total > sum(counts) else -1
    for _ in range(abs(total - sum(counts))):
        moves = [
            member_cost(m, lo, c + step, prices) - member_cost(m, lo, c, prices)
            for m, c in zip(members, counts, strict=True)
        ]
        best = min(range(len(members)), key=moves.__getitem__)
        if moves[best] >= _INFINITE // 2:
            return _INFINITE
        counts[best] += step
        cost += moves[best]
    return cost


def least_pool_cost(members: Sequence[Member], totals: range, prices: Prices) -> int:
    """The least cost of the pool over every whole ``lo`` (0 to the largest cap, the band's
    domain in fairness.py) and every total in ``totals``. For one ``lo`` the least split is
    convex in the total and lowest from the sum of the cheapest counts on, so the total in
    ``totals`` nearest that sum is the one to price."""
    if not totals or not members:
        return 0
    best = _INFINITE
    for lo in range(max(m.cap for m in members) + 1):
        start = sum(_cheapest(m, lo, prices)[0] for m in members)
        nearest = min(max(start, totals.start), totals.stop - 1)
        best = min(best, _least_split(members, lo, nearest, prices))
        if best == 0:
            break
    return 0 if best >= _INFINITE else best


def pool_totals(ctx: ModelContext, counted: set[SlotKey]) -> range:
    """The totals the coverage demands allow a pool whose counted slots are ``counted``."""
    least = 0
    most_by_cell: dict[tuple[dt.date, str], int] = {}
    cells: dict[tuple[dt.date, str], int] = defaultdict(int)
    for key in counted:
        cells[key[1], key[2]] += 1
    taken: set[SlotKey] = set()
    for _, need, day in demand_days(ctx):
        eligible = eligible_slots(ctx, need, day)
        inside = [s.key for s in eligible if s.key in counted]
        if not inside:
            continue
        cell = (day, need.shift_code)
        if len(inside) == cells[cell]:  # the demand's maximum bounds all the pool's slots there
            most_by_cell[cell] = min(most_by_cell.get(cell, _INFINITE), need.max_count)
        # Demands counted for the least total must not share slots (two demands on one cell).
        if taken.isdisjoint(inside):
            need_here = need.min_count - (len(eligible) - len(inside))
            if need_here > 0:
                least += need_here
                taken.update(inside)
    most = sum(min(n, most_by_cell.get(cell, n)) for cell, n in cells.items())
    return range(least, most + 1)
