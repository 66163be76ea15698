"""The rule registry and the full validation: every rule of ACGME.md over a whole schedule."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from resched.core.model import Role
from resched.core.rules.calls import check_call_q3, check_night_float
from resched.core.rules.conflicts import check_absence_conflict, check_double_booked
from resched.core.rules.context import ScheduleContext, SlotKey
from resched.core.rules.continuous import (
    check_continuous_duty,
    check_rest_8h,
    check_rest_after_24h,
)
from resched.core.rules.findings import (
    ABSENCE_CONFLICT,
    CALL_Q3,
    CONTINUOUS_DUTY,
    DAY_OFF,
    DOUBLE_BOOKED,
    HOURS_80,
    MOONLIGHTING_PGY1,
    NIGHT_FLOAT,
    REST_8H,
    REST_AFTER_24H,
    Finding,
    sort_findings,
)
from resched.core.rules.free_days import check_day_off
from resched.core.rules.hours import check_hours_80
from resched.core.rules.moonlighting import check_moonlighting_pgy1
from resched.core.rules.supervision import check_supervision_ratio
from resched.core.rules.timeline import PersonTimeline

PersonCheck = Callable[[ScheduleContext, PersonTimeline], list[Finding]]


@dataclass(frozen=True, slots=True)
class PersonRule:
    """A rule evaluated one person at a time. Duty-hour rules protect residents only."""

    id: str
    check: PersonCheck
    residents_only: bool


PERSON_RULES: tuple[PersonRule, ...] = (
    PersonRule(HOURS_80, check_hours_80, residents_only=True),
    PersonRule(DAY_OFF, check_day_off, residents_only=True),
    PersonRule(CONTINUOUS_DUTY, check_continuous_duty, residents_only=True),
    PersonRule(REST_AFTER_24H, check_rest_after_24h, residents_only=True),
    PersonRule(REST_8H, check_rest_8h, residents_only=True),
    PersonRule(CALL_Q3, check_call_q3, residents_only=True),
    PersonRule(NIGHT_FLOAT, check_night_float, residents_only=True),
    PersonRule(MOONLIGHTING_PGY1, check_moonlighting_pgy1, residents_only=True),
    PersonRule(DOUBLE_BOOKED, check_double_booked, residents_only=False),
    PersonRule(ABSENCE_CONFLICT, check_absence_conflict, residents_only=False),
)


def person_findings(ctx: ScheduleContext, person_id: int) -> tuple[Finding, ...]:
    """Findings of every person rule for one person that touch the range (memoised)."""
    found = ctx.memo.person.get(person_id)
    if found is None:
        timeline = ctx.timeline(person_id)
        resident = timeline.person.role is Role.RESIDENT
        rng = ctx.range
        # Without assignments or logged work no person rule can fire (leave alone breaks
        # none; tested rule by rule): idle people skip a range's worth of per-day sums, which a
        # document listing thousands of them would otherwise cost.
        idle = not timeline.assignments and not timeline.logged_work
        found = tuple(
            f
            for rule in PERSON_RULES
            if (resident or not rule.residents_only) and not idle
            for f in rule.check(ctx, timeline)
            if rng.overlaps(f.start, f.end)
        )
        ctx.memo.person[person_id] = found
    return found


def slot_findings(ctx: ScheduleContext, key: SlotKey) -> tuple[Finding, ...]:
    """``supervision-ratio`` findings of one (date, shift) slot (memoised)."""
    found = ctx.memo.slot.get(key)
    if found is None:
        day, code = key
        needs = ctx.shift_types[code].requires_supervision and ctx.range.contains(day)
        found = tuple(check_supervision_ratio(ctx, day, code)) if needs else ()
        ctx.memo.slot[key] = found
    return found


def check_all(ctx: ScheduleContext) -> list[Finding]:
    """Every finding of the schedule in the context's range, in a deterministic order."""
    found: list[Finding] = []
    for person_id in ctx.person_ids:
        found.extend(person_findings(ctx, person_id))
    for key in ctx.supervised_slots():
        found.extend(slot_findings(ctx, key))
    return sort_findings(found)
