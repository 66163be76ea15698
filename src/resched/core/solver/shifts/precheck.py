"""Conflicts found by counting, before any search: a demand with fewer available eligible people
than it needs on a day, and locks that cannot be kept. Most infeasible inputs are of this kind,
and counting names the people and their reasons, which a solver core cannot."""

from __future__ import annotations

import datetime as dt

from resched.core.model import CoverageRequirement
from resched.core.solver.shifts.candidates import is_eligible
from resched.core.solver.shifts.constraints.coverage import eligible_slots
from resched.core.solver.shifts.context import ModelContext
from resched.core.solver.shifts.wording import day_text, demand_text, name, who

_LISTED = 4  # reasons named per demand; more would bury the point


def _reasons(ctx: ModelContext, need: CoverageRequirement, day: dt.date) -> list[str]:
    found = []
    for person in ctx.problem.people:
        if not is_eligible(person, ctx.rotation(person.id, day), need.eligibility):
            continue
        why = ctx.candidates.removed.get((person.id, day, need.shift_code))
        if why is not None:
            found.append(f"{name(person)} is {why}")
    return found


def _short(ctx: ModelContext, need: CoverageRequirement, day: dt.date, have: int) -> str:
    text = f"{demand_text(need, day)} needs {need.min_count} {who(need.eligibility)}; "
    reasons = _reasons(ctx, need, day)
    total = have + len(reasons)
    if total == 0:
        return text + "nobody is eligible that day (check the rotation plan)"
    text += f"{have} of {total} eligible can take it"
    if reasons:
        more = len(reasons) - _LISTED
        text += ": " + "; ".join(reasons[:_LISTED]) + (f"; and {more} more" if more > 0 else "")
    return text


def coverage_shortfalls(ctx: ModelContext) -> list[str]:
    found = []
    holidays = frozenset(ctx.problem.holidays)
    for need in ctx.problem.coverage:
        for day in ctx.horizon.range_days():
            if day <= ctx.problem.end and need.applies_on(day, holidays):
                have = len(eligible_slots(ctx, need, day))
                if have < need.min_count:
                    found.append(_short(ctx, need, day, have))
    return found


def impossible_locks(ctx: ModelContext) -> list[str]:
    found = []
    for lock in ctx.problem.locked:
        if ctx.horizon.decides(lock.date) and not ctx.vars.slot(
            lock.person_id, lock.date, lock.shift_code
        ):
            person = ctx.people[lock.person_id]
            why = ctx.candidates.removed.get(
                (lock.person_id, lock.date, lock.shift_code), "not available"
            )
            found.append(
                f"{name(person)} is locked on {lock.shift_code} on {day_text(lock.date)}, "
                f"but is {why}"
            )
    return found


def precheck(ctx: ModelContext) -> list[str]:
    return impossible_locks(ctx) + coverage_shortfalls(ctx)
