"""``hours-80``: weekly hours averaged over rolling four-week windows."""

from __future__ import annotations

import datetime as dt

from resched.core.rules.context import ScheduleContext
from resched.core.rules.findings import (
    HOURS_80,
    Finding,
    Severity,
    display_name,
    fmt_number,
    fmt_span,
)
from resched.core.rules.timeline import PersonTimeline
from resched.core.rules.windows import Hit, Window, Wording, findings_from_hits

_WEEK_DAYS = 7
_HOUR = 3600


def check_hours_80(ctx: ScheduleContext, tl: PersonTimeline) -> list[Finding]:
    """ACGME CPR VI.F.1: clinical and educational work hours must be limited to no more than
    80 hours per week, averaged over a four-week period, inclusive of all in-house activities,
    clinical work done from home and all moonlighting (VI.F.5.b, VI.F.8.a).

    Per window: counted hours / (effective days / 7), leave days left out of both. A violation
    above the limit; a warning above ``approaching_hours`` up to the limit."""
    return findings_from_hits(
        _hits(ctx, tl),
        ctx.windows,
        rule=HOURS_80,
        person_id=tl.person.id,
        wording=_wording(display_name(tl.person), tl.days.leave),
    )


def _hits(ctx: ScheduleContext, tl: PersonTimeline) -> list[Hit]:
    seconds, leave, limits = tl.days.seconds, tl.days.leave, ctx.limits
    # value > limit  <=>  seconds * 7 * den > num * 3600 * effective_days, all integers.
    v_num, v_den = limits.hours.numerator * _HOUR, limits.hours.denominator * _WEEK_DAYS
    w_num, w_den = limits.approaching.numerator * _HOUR, limits.approaching.denominator * _WEEK_DAYS
    warn = limits.approaching < limits.hours
    limit = float(ctx.rules.hours_per_week_limit)
    hits = []
    for k, w in enumerate(ctx.windows):
        effective = (w.hi - w.lo) - (leave[w.hi] - leave[w.lo])
        if effective <= 0:
            continue
        worked = seconds[w.hi] - seconds[w.lo]
        if worked * v_den > v_num * effective:
            severity = Severity.VIOLATION
        elif warn and worked * w_den > w_num * effective:
            severity = Severity.WARNING
        else:
            continue
        value = worked * _WEEK_DAYS / (_HOUR * effective)
        hits.append(Hit(k, severity, value, limit, value))
    return hits


def _wording(name: str, leave: list[int]) -> Wording:
    def wording(hit: Hit, window: Window, start: dt.date, end: dt.date) -> str:
        span = fmt_span(window.start, window.end)
        text = f"{name}: {fmt_number(hit.value)} h/week averaged over {span}"
        if hit.severity is Severity.VIOLATION:
            text += f" (limit {fmt_number(hit.limit)})"
        else:
            text += f", approaching the limit of {fmt_number(hit.limit)}"
        left_out = leave[window.hi] - leave[window.lo]
        if left_out:
            text += f"; {left_out} leave day{'s' if left_out > 1 else ''} left out"
        if (start, end) != (window.start, window.end):
            verb = "exceed" if hit.severity is Severity.VIOLATION else "approach"
            text += f"; the windows over {fmt_span(start, end)} all {verb} it"
        return text

    return wording
