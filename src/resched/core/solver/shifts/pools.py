"""Who is compared with whom for fairness, and how far a member behind the year to date may
catch up in one range. No ortools here: the fairness goal (objectives/fairness.py) and the
fairness report (spreads.py) read the same pools, so the report measures what the goal balances.

A pool holds the people who had the same chance to take a counter's shifts in the range: the
same PGY level (or faculty), the same rotations over the range, the same days of leave, and at
least one candidate shift that counts (a ward resident's calls are not comparable with an
elective resident's backup nights in one block; over the year, rotations turn).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from resched.core.model import Person, Role
from resched.core.solver.shifts.counters import counts
from resched.core.solver.shifts.horizon import RotationCalendar, leave_by_person
from resched.core.solver.shifts.problem import COUNTERS, ShiftProblem
from resched.core.solver.shifts.slots import Slot

PoolKey = tuple[str, tuple[str, ...], int]


@dataclass(frozen=True, slots=True)
class Pool:
    """The members of one pool for one counter, each with their candidate slots that count."""

    counter: str
    key: PoolKey
    members: tuple[tuple[Person, tuple[Slot, ...]], ...]

    @property
    def label(self) -> str:
        """In words: "PGY-2 on WARDS", "PGY-1 on NURS/CLIN with 5 days of leave"."""
        group, rotations, leave = self.key
        text = f"{group} on {'/'.join(r for r in rotations if r != '-') or 'no rotation'}"
        return text + (f" with {leave} days of leave" if leave else "")


def pool_key(person: Person, calendar: RotationCalendar, problem: ShiftProblem) -> PoolKey:
    """(group, rotations day by day over the range, days on leave): equal keys, equal chances."""
    group = "faculty" if person.role is Role.FACULTY else f"PGY-{person.pgy or 0}"
    days = [
        problem.start + dt.timedelta(days=i) for i in range((problem.end - problem.start).days + 1)
    ]
    rotations = tuple(calendar.rotation(person.id, d) or "-" for d in days)
    leave = leave_by_person(problem.approved_absences).get(person.id, frozenset())
    return group, tuple(dict.fromkeys(rotations)), sum(d in leave for d in days)


def fairness_pools(
    problem: ShiftProblem, slots: Iterable[Slot], calendar: RotationCalendar
) -> list[Pool]:
    """The pools of two or more members, per counter (``COUNTERS`` order), from the candidate
    ``slots`` of the range (slots after ``problem.end`` are ignored)."""
    slots_of: dict[int, list[Slot]] = defaultdict(list)
    people: dict[int, Person] = {}
    for slot in slots:
        if problem.start <= slot.day <= problem.end:
            slots_of[slot.person.id].append(slot)
            people[slot.person.id] = slot.person
    keys = {pid: pool_key(people[pid], calendar, problem) for pid in slots_of}
    holidays = frozenset(problem.holidays)
    found: list[Pool] = []
    for counter in COUNTERS:
        grouped: dict[PoolKey, list[tuple[Person, tuple[Slot, ...]]]] = defaultdict(list)
        for pid, mine in slots_of.items():
            counted = tuple(s for s in mine if counts(counter, s.shift, s.day, holidays))
            if counted:
                grouped[keys[pid]].append((people[pid], counted))
        found += [Pool(counter, k, tuple(m)) for k, m in grouped.items() if len(m) > 1]
    return found


def catch_up_allowances(year_to_date: Mapping[int, int], catch_up: int) -> dict[int, int]:
    """How many shifts above the range's even spread each member may take to make up a
    year-to-date deficit: ``catch_up`` at most, and only as far as the member lies below the
    band [top - 1, top] of the pool's highest year to date (a member one behind is even)."""
    if not year_to_date:
        return {}
    top = max(year_to_date.values())
    return {pid: max(0, min(catch_up, top - 1 - n)) for pid, n in year_to_date.items()}
