"""Fairness of calls, weekends, holidays and nights within a PGY level (faculty as one group),
carried over from the year to date.

Members are compared within a pool: the same PGY level (or faculty), the same rotations over the
range and the same days off leave, i.e. the people who had the same chance to take such shifts
(a ward resident's calls are not comparable with an elective resident's backup nights in one
block; over the year, rotations turn and the year-to-date counts carry the comparison). In a
pool, everyone's total (year to date included) should lie in one band [lo, lo + 1], lo chosen
by the solver: the penalty is the number of shifts a member lies outside it. An even spread is
then worth 0, exactly (an average of 5.6 calls is 5 or 6 each, which costs nothing), and the
linear relaxation proves that bound at once, where a distance from the mean is never 0 when
the mean is fractional and left the search with a bound far below any schedule.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable

from resched.core.model import Person, Role
from resched.core.solver.shifts.context import ModelContext
from resched.core.solver.shifts.counters import counts
from resched.core.solver.shifts.horizon import RotationCalendar, leave_by_person
from resched.core.solver.shifts.problem import (
    CALLS,
    FAIR_CALLS,
    FAIR_HOLIDAYS,
    FAIR_NIGHTS,
    FAIR_WEEKENDS,
    HOLIDAYS,
    NIGHTS,
    WEEKENDS,
    ShiftProblem,
)
from resched.core.solver.shifts.slots import Slot
from resched.core.solver.shifts.wording import name

_PENALTY = {
    CALLS: FAIR_CALLS,
    WEEKENDS: FAIR_WEEKENDS,
    HOLIDAYS: FAIR_HOLIDAYS,
    NIGHTS: FAIR_NIGHTS,
}


PoolKey = tuple[str, tuple[str, ...], int]


def pool_key(person: Person, calendar: RotationCalendar, problem: ShiftProblem) -> PoolKey:
    """(group, rotations day by day over the range, days on leave): equal keys, equal chances."""
    group = "faculty" if person.role is Role.FACULTY else f"PGY-{person.pgy or 0}"
    days = [
        problem.start + dt.timedelta(days=i) for i in range((problem.end - problem.start).days + 1)
    ]
    rotations = tuple(calendar.rotation(person.id, d) or "-" for d in days)
    leave = leave_by_person(problem.approved_absences).get(person.id, frozenset())
    return group, tuple(dict.fromkeys(rotations)), sum(d in leave for d in days)


def add_fairness(ctx: ModelContext) -> None:
    slots_of: dict[int, list[Slot]] = defaultdict(list)
    for slot in ctx.vars.decided:
        if slot.day <= ctx.problem.end:
            slots_of[slot.person.id].append(slot)
    calendar = ctx.candidates.rotations or RotationCalendar((), ())
    keys = {pid: pool_key(ctx.people[pid], calendar, ctx.problem) for pid in slots_of}
    holidays = frozenset(ctx.problem.holidays)
    for counter, penalty in _PENALTY.items():
        pools: dict[PoolKey, list[tuple[Person, list[Slot]]]] = defaultdict(list)
        for pid, slots in slots_of.items():
            mine = [s for s in slots if counts(counter, s.shift, s.day, holidays)]
            if mine:
                pools[keys[pid]].append((ctx.people[pid], mine))
        for key, members in pools.items():
            if len(members) > 1:
                _band(ctx, counter, penalty, _pool_text(key), members)


def _band(
    ctx: ModelContext,
    counter: str,
    penalty: str,
    pool: str,
    members: list[tuple[Person, list[Slot]]],
) -> None:
    ytd = {p.id: ctx.problem.year_to_date.get(p.id, {}).get(counter, 0) for p, _ in members}
    lowest = min(ytd.values())
    highest = max(ytd[p.id] + len(mine) for p, mine in members)
    lo = ctx.model.new_int_var(lowest, highest, f"band[{counter},{pool}]")
    for person, mine in members:
        total = ytd[person.id] + sum(s.literal for s in mine)
        most = highest - lowest  # no member lies further than that outside any band
        outside = ctx.model.new_int_var(0, most, f"fair[{counter},{person.code}]")
        ctx.model.add(outside >= total - lo - 1)
        ctx.model.add(outside >= lo - total)
        ctx.penalise(penalty, outside, _wording(person, counter, pool), person_id=person.id)


def _pool_text(key: PoolKey) -> str:
    group, rotations, leave = key
    text = f"{group} on {'/'.join(r for r in rotations if r != '-') or 'no rotation'}"
    return text + (f" with {leave} days of leave" if leave else "")


def _wording(person: Person, counter: str, pool: str) -> Callable[[int], str]:
    def text(units: int) -> str:
        return (
            f"{name(person)}: {units} {counter} outside the even spread among {pool} "
            "(year to date included)"
        )

    return text
