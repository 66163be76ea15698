"""Fairness of calls, weekends, holidays and nights within a PGY level (faculty as one group),
carried over from the year to date.

For each counter and group, the members who can take such shifts in the range are compared
with their group's mean: the penalty of a member is |n x total - sum of totals| (n members,
totals including the year to date), i.e. the distance from the mean in units of 1/n shift.
Linear, and unlike max - min it moves every member toward the mean, not only the extremes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Container, Iterable

from resched.core.model import Assignment, Person, Role, ShiftKind, ShiftType
from resched.core.solver.shifts.context import ModelContext
from resched.core.solver.shifts.problem import (
    CALLS,
    COUNTERS,
    FAIR_CALLS,
    FAIR_HOLIDAYS,
    FAIR_NIGHTS,
    FAIR_WEEKENDS,
    HOLIDAYS,
    NIGHTS,
    WEEKENDS,
)
from resched.core.solver.shifts.slots import Slot
from resched.core.solver.shifts.wording import name

_CALL_KINDS = frozenset({ShiftKind.IN_HOUSE_CALL, ShiftKind.AT_HOME_CALL})


_WORKED = frozenset(k for k in ShiftKind if k is not ShiftKind.OFF)
_MINUTES_A_DAY = 24 * 60


def is_night(shift: ShiftType) -> bool:
    """Night float, or work scheduled across local midnight (calls are counted as calls)."""
    crosses = shift.start.hour * 60 + shift.start.minute + shift.minutes > _MINUTES_A_DAY
    return shift.kind is ShiftKind.NIGHT_FLOAT or (shift.kind is ShiftKind.WORK and crosses)


def counts(counter: str, shift: ShiftType, day: dt.date, holidays: Container[dt.date]) -> bool:
    """Whether a shift on a day counts toward a fairness counter (see ``COUNTERS``)."""
    if counter == CALLS:
        return shift.kind in _CALL_KINDS
    if counter == WEEKENDS:
        return shift.kind in _WORKED and day.isoweekday() >= 6
    if counter == HOLIDAYS:
        return shift.kind in _WORKED and day in holidays
    return is_night(shift)


_PENALTY = {
    CALLS: FAIR_CALLS,
    WEEKENDS: FAIR_WEEKENDS,
    HOLIDAYS: FAIR_HOLIDAYS,
    NIGHTS: FAIR_NIGHTS,
}


def tally(
    assignments: Iterable[Assignment],
    shift_types: Iterable[ShiftType],
    holidays: Container[dt.date],
) -> dict[int, dict[str, int]]:
    """Counts per person of each counter: the year to date to carry into the next range."""
    shifts = {s.code: s for s in shift_types}
    found: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTERS, 0))
    for a in assignments:
        for counter in COUNTERS:
            if counts(counter, shifts[a.shift_code], a.date, holidays):
                found[a.person_id][counter] += 1
    return dict(found)


def _group(person: Person) -> str:
    return "faculty" if person.role is Role.FACULTY else f"PGY-{person.pgy or 0}"


def add_fairness(ctx: ModelContext) -> None:
    slots_of: dict[int, list[Slot]] = defaultdict(list)
    for slot in ctx.vars.decided:
        if slot.day <= ctx.problem.end:
            slots_of[slot.person.id].append(slot)
    holidays = frozenset(ctx.problem.holidays)
    for counter, penalty in _PENALTY.items():
        groups: dict[str, list[tuple[Person, list[Slot]]]] = defaultdict(list)
        for pid, slots in slots_of.items():
            mine = [s for s in slots if counts(counter, s.shift, s.day, holidays)]
            if mine:
                groups[_group(ctx.people[pid])].append((ctx.people[pid], mine))
        for group, members in groups.items():
            if len(members) > 1:
                _balance(ctx, counter, penalty, group, members)


def _balance(
    ctx: ModelContext,
    counter: str,
    penalty: str,
    group: str,
    members: list[tuple[Person, list[Slot]]],
) -> None:
    n = len(members)
    ytd = ctx.problem.year_to_date
    totals = {
        p.id: ytd.get(p.id, {}).get(counter, 0) + sum(s.literal for s in mine)
        for p, mine in members
    }
    everyone = sum(totals.values())
    # |n x t_i - sum t_j| <= n x the largest possible total.
    upper = n * max(ytd.get(p.id, {}).get(counter, 0) + len(mine) for p, mine in members)
    for person, _ in members:
        spread = ctx.model.new_int_var(0, upper, f"fair[{counter},{person.code}]")
        ctx.model.add_abs_equality(spread, n * totals[person.id] - everyone)
        text = _wording(person, counter, group, n)
        ctx.penalise(penalty, spread, text, person_id=person.id)


def _wording(person: Person, counter: str, group: str, n: int) -> Callable[[int], str]:
    def text(units: int) -> str:
        return (
            f"{name(person)}: {units / n:.1f} {counter} away from the {group} average "
            "(year to date included)"
        )

    return text
