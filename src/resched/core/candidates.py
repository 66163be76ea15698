"""Who could take a shift someone gives away: the people who may legally do it, fairest first.

A person is a candidate when they are eligible for the shift that day (role, PGY, rotation,
credentials, by any coverage requirement of the shift that applies that day; a shift no
requirement covers restricts no one), are not absent that day, hold no shift overlapping it,
and taking it over creates no new violation (``check_change``). The cheap conditions are
tested first, so the incremental check runs only for the few who pass them.

Fairness is what each candidate has had so far in the context's range up to the day: calls
(in-house and at-home), weekend shifts and holiday shifts, counted once for everyone.

The requester's wishes come before fairness: whoever asked for that shift that day ranks first,
whoever asked not to work it (a day off, leave asked for, or that shift off) ranks last - they
stay candidates, since a wish is not a rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum

from resched.core.model import (
    AbsenceStatus,
    Assignment,
    CoverageRequirement,
    Eligibility,
    Person,
    ShiftKind,
)
from resched.core.rules.context import ScheduleContext
from resched.core.rules.findings import Finding
from resched.core.rules.incremental import check_change
from resched.core.solver.shifts.candidates import is_eligible

_CALL_KINDS = frozenset({ShiftKind.IN_HOUSE_CALL, ShiftKind.AT_HOME_CALL})


@dataclass(frozen=True, slots=True)
class Fairness:
    """What a person has had so far; sorting by it puts whoever had least first."""

    calls: int = 0
    weekend_shifts: int = 0
    holiday_shifts: int = 0

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.calls, self.weekend_shifts, self.holiday_shifts)


class Wish(IntEnum):
    """A person's own wish about the shift; the order is the ranking's."""

    WANTS = 0  # asked for this shift that day
    NONE = 1
    AVOIDS = 2  # asked not to work that day, or not this shift


@dataclass(frozen=True, slots=True)
class Candidate:
    person: Person
    fairness: Fairness
    warnings: tuple[Finding, ...]  # the warnings taking the shift would create
    wish: Wish = Wish.NONE


def shift_rules(
    coverage: Sequence[CoverageRequirement],
    shift_code: str,
    day: dt.date,
    holidays: Collection[dt.date],
) -> tuple[Eligibility, ...]:
    """The eligibility rules of the coverage requirements of ``shift_code`` applying on ``day``."""
    days_off = frozenset(holidays)
    return tuple(
        need.eligibility
        for need in coverage
        if need.shift_code == shift_code and need.applies_on(day, days_off)
    )


def find_candidates(
    ctx: ScheduleContext,
    taken: Assignment,
    *,
    rules: Sequence[Eligibility],
    rotations: Mapping[int, str],
    holidays: Collection[dt.date],
    wishes: Mapping[int, Wish] | None = None,
) -> list[Candidate]:
    """The people who could take ``taken`` over from its holder: those who asked for it first
    and those who asked not to work it last (``wishes``, person id -> wish), otherwise fewest
    calls, weekend and holiday shifts first (then by code). ``rotations``: person id ->
    rotation code that day."""
    day = taken.date
    counts = fairness_so_far(ctx, day, frozenset(holidays))
    found: list[Candidate] = []
    for pid in ctx.person_ids:
        person = ctx.people[pid]
        if pid == taken.person_id or not person.active:
            continue
        if rules and not any(is_eligible(person, rotations.get(pid), r) for r in rules):
            continue
        if is_absent(ctx, pid, day) or overlaps(ctx, pid, taken):
            continue
        new = Assignment(person_id=pid, date=day, shift_code=taken.shift_code)
        impact = check_change(ctx, remove=[taken], add=[new])
        if impact.makes_worse:
            continue
        wish = (wishes or {}).get(pid, Wish.NONE)
        found.append(Candidate(person, counts.get(pid, Fairness()), impact.created, wish))
    found.sort(key=lambda c: (c.wish, c.fairness.key, c.person.code))
    return found


def is_absent(ctx: ScheduleContext, person_id: int, day: dt.date) -> bool:
    """On approved leave of any kind that day."""
    return any(
        a.covers(day) and a.status is AbsenceStatus.APPROVED for a in ctx.absences_of(person_id)
    )


def overlaps(ctx: ScheduleContext, person_id: int, taken: Assignment) -> bool:
    """Holds a shift whose scheduled time (local wall clock) overlaps the one to be taken."""
    start, end = _span(ctx, taken)
    for a in ctx.assignments_of(person_id):
        if (
            abs((a.date - taken.date).days) > 2
            or ctx.shift_types[a.shift_code].kind is ShiftKind.OFF
        ):
            continue
        other_start, other_end = _span(ctx, a)
        if other_start < end and start < other_end:
            return True
    return False


def _span(ctx: ScheduleContext, a: Assignment) -> tuple[dt.datetime, dt.datetime]:
    shift = ctx.shift_types[a.shift_code]
    start = dt.datetime.combine(a.date, shift.start)
    return start, start + dt.timedelta(minutes=shift.minutes)


def fairness_so_far(
    ctx: ScheduleContext, day: dt.date, holidays: frozenset[dt.date]
) -> dict[int, Fairness]:
    """Per person: calls, weekend and holiday shifts dated in the range before ``day``."""
    counts: dict[int, Fairness] = {}
    for pid in ctx.person_ids:
        calls = weekends = holiday_shifts = 0
        for a in ctx.assignments_of(pid):
            kind = ctx.shift_types[a.shift_code].kind
            if a.date >= day or a.date < ctx.range.start or kind is ShiftKind.OFF:
                continue
            calls += kind in _CALL_KINDS
            weekends += a.date.isoweekday() >= 6
            holiday_shifts += a.date in holidays
        counts[pid] = Fairness(calls, weekends, holiday_shifts)
    return counts
