"""Chained shifts in a schedule: each pair of a resident's shifts with less than the program's
minimum rest between them (outside its allowed sequences), and each exit from night float
without a free day (core/rest.py). What the generator forbids, read back from any schedule
(an imported one, one edited by hand), so a draft's review can say "0 chains".
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from resched.core.intervals import DateRange, Interval, assignment_interval
from resched.core.model import Assignment, Person, Program, Role, ShiftType
from resched.core.rest import MIN_REST, RestPolicy, breaches
from resched.core.rules.context import ScheduleInput
from resched.core.rules.findings import display_name, fmt_day, fmt_number


@dataclass(frozen=True, slots=True)
class _Placed:
    assignment: Assignment
    shift: ShiftType
    interval: Interval

    @property
    def day(self) -> dt.date:
        return self.assignment.date


@dataclass(frozen=True, slots=True)
class Chain:
    """``rule``: ``min-rest`` or ``night-float-free-day`` (core/rest.py)."""

    rule: str
    person: Person
    first: Assignment
    next: Assignment
    gap_hours: float

    @property
    def message(self) -> str:
        who = display_name(self.person)
        first = f"{self.first.shift_code} on {fmt_day(self.first.date)}"
        then = f"{self.next.shift_code} on {fmt_day(self.next.date)}"
        if self.rule == MIN_REST:
            return f"{who}: {first} then {then}, {fmt_number(self.gap_hours)} h apart"
        return f"{who}: {then} on the day after leaving night float ({first})"


def find_chains(schedule: ScheduleInput) -> tuple[Chain, ...]:
    """The chains whose second shift is dated in the schedule's range, by date and person.
    Assignments of unknown shift types or people are left to the validator."""
    policy = RestPolicy.of(schedule.program)
    zone = ZoneInfo(schedule.program.timezone)
    types = {t.code: t for t in schedule.shift_types}
    people = {p.id: p for p in schedule.people if p.role is Role.RESIDENT}
    placed: dict[int, list[_Placed]] = defaultdict(list)
    for a in schedule.assignments:
        shift = types.get(a.shift_code)
        if shift is not None and a.person_id in people:
            placed[a.person_id].append(_Placed(a, shift, assignment_interval(a.date, shift, zone)))
    found = []
    for person_id, items in placed.items():
        items.sort(key=lambda p: (p.interval.start, p.interval.end, p.shift.code))
        for b in breaches(items, policy):
            if schedule.range.contains(b.next.day):
                hours = b.gap_seconds / 3600
                found.append(
                    Chain(b.rule, people[person_id], b.first.assignment, b.next.assignment, hours)
                )
    found.sort(key=lambda c: (c.next.date, c.person.id, c.first.shift_code))
    return tuple(found)


def chains_between(
    program: Program,
    people: Iterable[Person],
    shift_types: Iterable[ShiftType],
    assignments: Iterable[Assignment],
    start: dt.date,
    end: dt.date,
) -> tuple[Chain, ...]:
    """``find_chains`` of the assignments, for the chains ending ``start``..``end``."""
    schedule = ScheduleInput(
        program, tuple(people), tuple(shift_types), tuple(assignments), DateRange(start, end)
    )
    return find_chains(schedule)
