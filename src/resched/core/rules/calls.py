"""Call rules: ``call-q3`` (averaged call frequency) and ``night-float-consecutive``."""

from __future__ import annotations

import datetime as dt

from resched.core.rules.context import ScheduleContext
from resched.core.rules.findings import (
    CALL_Q3,
    NIGHT_FLOAT,
    Finding,
    Severity,
    display_name,
    fmt_span,
)
from resched.core.rules.timeline import PersonTimeline
from resched.core.rules.windows import Hit, Window, findings_from_hits


def check_call_q3(ctx: ScheduleContext, tl: PersonTimeline) -> list[Finding]:
    """ACGME CPR VI.F.7: residents must be scheduled for in-house call no more frequently than
    every third night (when averaged over a four-week period).

    Per window: in-house call assignments starting in it x 3 <= effective days (9 calls in 28
    days is legal, 10 is not). The limit reported is the most calls the window allows."""
    calls, leave = tl.days.calls, tl.days.leave
    nth = ctx.rules.call_every_nth_night
    hits = []
    for k, w in enumerate(ctx.windows):
        effective = (w.hi - w.lo) - (leave[w.hi] - leave[w.lo])
        if effective <= 0:
            continue
        count = calls[w.hi] - calls[w.lo]
        if count * nth > effective:
            allowed = effective // nth
            hits.append(
                Hit(k, Severity.VIOLATION, float(count), float(allowed), count * nth - effective)
            )

    name = display_name(tl.person)

    def wording(hit: Hit, window: Window, start: dt.date, end: dt.date) -> str:
        effective = (window.hi - window.lo) - (leave[window.hi] - leave[window.lo])
        text = (
            f"{name}: {int(hit.value)} in-house calls in {fmt_span(window.start, window.end)} "
            f"(limit every {_ordinal(nth)} night: at most {int(hit.limit)} in {effective} days"
        )
        text += " not on leave)" if effective != window.hi - window.lo else ")"
        if (start, end) != (window.start, window.end):
            text += f"; the windows over {fmt_span(start, end)} all exceed it"
        return text

    return findings_from_hits(
        hits, ctx.windows, rule=CALL_Q3, person_id=tl.person.id, wording=wording
    )


def check_night_float(ctx: ScheduleContext, tl: PersonTimeline) -> list[Finding]:
    """ACGME CPR VI.F.6: night float must occur within the context of the 80-hour and
    one-day-off-in-seven requirements; the maximum of consecutive nights is set by the Review
    Committee (program setting ``night_float_max_consecutive``, 0 switches the rule off).

    One finding per run of consecutive calendar days each holding a night-float assignment
    that is longer than the limit."""
    limit = ctx.rules.night_float_max_consecutive
    if limit <= 0:
        return []
    name = display_name(tl.person)
    found = []
    for first, last in _runs(tl.night_float_dates):
        length = (last - first).days + 1
        if length > limit:
            found.append(
                Finding(
                    rule=NIGHT_FLOAT,
                    severity=Severity.VIOLATION,
                    person_id=tl.person.id,
                    shift_code=None,
                    start=first,
                    end=last,
                    value=float(length),
                    limit=float(limit),
                    message=(
                        f"{name}: {length} consecutive night-float nights "
                        f"{fmt_span(first, last)} (limit {limit})"
                    ),
                )
            )
    return found


def _runs(dates: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Runs of consecutive days in sorted, distinct ``dates``."""
    found: list[tuple[dt.date, dt.date]] = []
    for day in dates:
        if found and (day - found[-1][1]).days == 1:
            found[-1] = (found[-1][0], day)
        else:
            found.append((day, day))
    return found


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
