"""Who could legally step in: the people who could be added to a shift on a day without
breaking a rule - eligible for a demand on that shift, active, not on leave, not on an
overlapping shift, and no new violation by the incremental check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from resched.core.candidates import is_absent, overlaps, shift_rules
from resched.core.model import Assignment, CoverageRequirement, Eligibility
from resched.core.rules.context import ScheduleContext
from resched.core.rules.incremental import check_change
from resched.core.solver.shifts.candidates import is_eligible

# person id -> [(first day, last day, rotation code)]
type RotationSpans = Mapping[int, Sequence[tuple[dt.date, dt.date, str]]]


@dataclass(frozen=True, slots=True)
class Demand:
    """What a day's coverage asks of the schedule: the demands, the holidays they read and
    each person's rotation (eligibility by rotation), shared by every question below."""

    needs: Sequence[CoverageRequirement]
    holidays: frozenset[dt.date]
    rotations: RotationSpans

    def rotation_on(self, person_id: int, day: dt.date) -> str | None:
        return next(
            (c for first, last, c in self.rotations.get(person_id, ()) if first <= day <= last),
            None,
        )

    def rules(self, shift_code: str, day: dt.date) -> tuple[Eligibility, ...]:
        return shift_rules(self.needs, shift_code, day, self.holidays)

    def eligible(
        self, ctx: ScheduleContext, person_id: int, day: dt.date, rule: Eligibility
    ) -> bool:
        return is_eligible(ctx.people[person_id], self.rotation_on(person_id, day), rule)


def can_step_in(
    ctx: ScheduleContext,
    demand: Demand,
    person_id: int,
    shift: Assignment,
    rules: Sequence[Eligibility] | None = None,
) -> bool:
    """Whether ``person_id`` could be added to ``shift`` (its person id is ignored)."""
    person = ctx.people[person_id]
    wanted = demand.rules(shift.shift_code, shift.date) if rules is None else rules
    if not person.active:
        return False
    if wanted and not any(demand.eligible(ctx, person_id, shift.date, r) for r in wanted):
        return False
    if any(
        a.date == shift.date and a.shift_code == shift.shift_code
        for a in ctx.assignments_of(person_id)
    ):
        return False
    new = Assignment(person_id, shift.date, shift.shift_code)
    if is_absent(ctx, person_id, shift.date) or overlaps(ctx, person_id, new):
        return False
    return not check_change(ctx, add=[new]).makes_worse


def standby(
    ctx: ScheduleContext,
    demand: Demand,
    shift: Assignment,
    *,
    exclude: Collection[int] = (),
    rules: Sequence[Eligibility] | None = None,
) -> list[int]:
    """Everyone (but ``exclude``) who could be added to ``shift``, by id."""
    return [
        pid
        for pid in ctx.person_ids
        if pid not in exclude and can_step_in(ctx, demand, pid, shift, rules)
    ]
