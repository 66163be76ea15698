"""Coverage gaps: the days a coverage requirement applies on with fewer eligible people on
its shift than its minimum - what the Today page warns coordinators about and the swap board
offers to volunteers."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from resched.core.model import Assignment, CoverageRequirement, Person
from resched.core.solver.shifts.candidates import is_eligible


@dataclass(frozen=True, slots=True)
class CoverageGap:
    day: dt.date
    shift_code: str
    requirement: str
    have: int
    need: int


def coverage_gaps(
    needs: Sequence[CoverageRequirement],
    assignments: Sequence[Assignment],
    people: Sequence[Person],
    plan: Mapping[int, Sequence[tuple[dt.date, dt.date, str]]],
    holidays: frozenset[dt.date],
    start: dt.date,
    end: dt.date,
) -> list[CoverageGap]:
    """Each demand on each day of ``start``..``end`` it applies on with fewer eligible people
    on its shift than its minimum (eligibility as the generator reads it: role, PGY, rotation
    that day, credentials). By day, then shift code."""
    by_id = {p.id: p for p in people}
    on: dict[tuple[dt.date, str], list[Person]] = defaultdict(list)
    for assignment in assignments:
        person = by_id.get(assignment.person_id)
        if person is not None:
            on[(assignment.date, assignment.shift_code)].append(person)
    gaps = []
    day = start
    while day <= end:
        for need in needs:
            if need.min_count == 0 or not need.applies_on(day, holidays):
                continue
            have = sum(
                1
                for person in on.get((day, need.shift_code), [])
                if is_eligible(person, _rotation_on(plan, person.id, day), need.eligibility)
            )
            if have < need.min_count:
                label = need.name or need.shift_code
                gaps.append(CoverageGap(day, need.shift_code, label, have, need.min_count))
        day += dt.timedelta(days=1)
    return gaps


def _rotation_on(
    plan: Mapping[int, Sequence[tuple[dt.date, dt.date, str]]], person_id: int, day: dt.date
) -> str | None:
    return next(
        (code for first, last, code in plan.get(person_id, ()) if first <= day <= last), None
    )
