"""Duty-period rules: ``continuous-duty``, ``rest-after-24h``, ``rest-8h``.

Periods are built from all of a person's duty intervals (not only those in the range), so a
period that starts before the range is still one period; the engine keeps the findings that
touch the range.
"""

from __future__ import annotations

from itertools import pairwise

from resched.core.intervals import Period, local_datetime
from resched.core.rules.context import ScheduleContext
from resched.core.rules.findings import (
    CONTINUOUS_DUTY,
    REST_8H,
    REST_AFTER_24H,
    Finding,
    Severity,
    display_name,
    fmt_number,
    fmt_span,
    hours,
    round_value,
)
from resched.core.rules.timeline import PersonTimeline


def check_continuous_duty(ctx: ScheduleContext, tl: PersonTimeline) -> list[Finding]:
    """ACGME CPR VI.F.3.a: duty periods must not exceed 24 hours of continuous scheduled
    clinical assignments; VI.F.3.a.(1): up to four hours more may be used for transitions of
    care and education (and no new patient care then, VI.F.3.a.(1).(a)).

    A violation when a period lasts longer than 24 + 4 h, or when its scheduled part (without
    the closing transition minutes) lasts longer than 24 h."""
    limits, rules = ctx.limits, ctx.rules
    name = display_name(tl.person)
    total_limit = float(rules.max_continuous_hours + rules.transition_hours)
    max_total, max_scheduled = limits.max_total_seconds, limits.max_scheduled_seconds
    found = []
    for p in tl.periods:
        if p.seconds <= max_total and p.scheduled_seconds <= max_scheduled:
            continue
        span = fmt_span(p.first_day, p.last_day)
        if p.seconds > max_total:
            value, limit = hours(p.seconds), total_limit
            text = (
                f"{name}: {fmt_number(value)} h of continuous duty {span} (limit "
                f"{fmt_number(rules.max_continuous_hours)} + "
                f"{fmt_number(rules.transition_hours)} h)"
            )
        else:
            value, limit = hours(p.scheduled_seconds), float(rules.max_continuous_hours)
            text = (
                f"{name}: {fmt_number(value)} h of continuous scheduled duty {span} "
                f"(limit {fmt_number(limit)} h before transition time)"
            )
        found.append(_finding(CONTINUOUS_DUTY, Severity.VIOLATION, tl, p, p, value, limit, text))
    return found


def check_rest_after_24h(ctx: ScheduleContext, tl: PersonTimeline) -> list[Finding]:
    """ACGME CPR VI.F.2.c: residents must have at least 14 hours free of clinical work and
    education after 24 hours of in-house call.

    After a duty period of 24 h or more, the gap to the next duty period must be >= 14 h."""
    limits = ctx.limits
    limit = float(ctx.rules.rest_after_24h_hours)
    name = display_name(tl.person)
    found = []
    for before, after in pairwise(tl.periods):
        gap = after.start - before.end
        if before.seconds >= limits.long_period_seconds and gap < limits.rest_after_24h_seconds:
            text = (
                f"{name}: {fmt_number(hours(gap))} h off after "
                f"{fmt_number(hours(before.seconds))} h of duty ending "
                f"{_when(ctx, before.end)} (limit {fmt_number(limit)} h)"
            )
            found.append(
                _finding(
                    REST_AFTER_24H, Severity.VIOLATION, tl, before, after, hours(gap), limit, text
                )
            )
    return found


def check_rest_8h(ctx: ScheduleContext, tl: PersonTimeline) -> list[Finding]:
    """ACGME CPR VI.F.2.b: residents should have eight hours off between scheduled clinical
    work and education periods. A "should": findings are warnings."""
    limits = ctx.limits
    limit = float(ctx.rules.rest_between_periods_hours)
    name = display_name(tl.person)
    found = []
    for before, after in pairwise(tl.periods):
        gap = after.start - before.end
        if gap < limits.rest_seconds:
            text = (
                f"{name}: only {fmt_number(hours(gap))} h off between duty ending "
                f"{_when(ctx, before.end)} and the next (should be {fmt_number(limit)} h)"
            )
            found.append(
                _finding(REST_8H, Severity.WARNING, tl, before, after, hours(gap), limit, text)
            )
    return found


def _when(ctx: ScheduleContext, instant: int) -> str:
    moment = local_datetime(instant, ctx.zone)
    return f"{fmt_span(moment.date(), moment.date())} {moment:%H:%M}"


def _finding(
    rule: str,
    severity: Severity,
    tl: PersonTimeline,
    first: Period,
    last: Period,
    value: float,
    limit: float,
    message: str,
) -> Finding:
    return Finding(
        rule=rule,
        severity=severity,
        person_id=tl.person.id,
        shift_code=None,
        start=first.first_day if first is last else first.last_day,
        end=last.last_day if first is last else last.first_day,
        value=round_value(value, limit),
        limit=limit,
        message=message,
    )
