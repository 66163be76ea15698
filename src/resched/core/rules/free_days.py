"""``day-off-1-in-7``: one free day in seven, averaged over the windows, leave left out."""

from __future__ import annotations

import datetime as dt

from resched.core.rules.context import ScheduleContext
from resched.core.rules.findings import DAY_OFF, Finding, Severity, display_name, fmt_span
from resched.core.rules.timeline import PersonTimeline
from resched.core.rules.windows import Hit, Window, findings_from_hits


def check_day_off(ctx: ScheduleContext, tl: PersonTimeline) -> list[Finding]:
    """ACGME CPR VI.F.2.d: residents must be scheduled for a minimum of one day in seven free of
    clinical work and required education (when averaged over four weeks); at-home call cannot be
    assigned on these free days.

    Per window: free days x 7 >= effective days (4 free days in 28 is legal, 3 is not). The
    value is the free days of the worst window, the limit the free days it needs."""
    days = tl.days
    free, leave = days.free, days.leave
    every = ctx.rules.free_day_every_n_days
    hits = []
    for k, w in enumerate(ctx.windows):
        effective = (w.hi - w.lo) - (leave[w.hi] - leave[w.lo])
        if effective <= 0:
            continue
        got = free[w.hi] - free[w.lo]
        if got * every < effective:
            needed = -(-effective // every)
            hits.append(Hit(k, Severity.VIOLATION, float(got), float(needed), needed - got))

    name = display_name(tl.person)

    def wording(hit: Hit, window: Window, start: dt.date, end: dt.date) -> str:
        effective = (window.hi - window.lo) - (leave[window.hi] - leave[window.lo])
        text = (
            f"{name}: {int(hit.value)} free day{'' if hit.value == 1 else 's'} in "
            f"{fmt_span(window.start, window.end)} (limit one day in {every}: at least "
            f"{int(hit.limit)} of {effective} days"
        )
        text += " not on leave)" if effective != window.hi - window.lo else ")"
        if (start, end) != (window.start, window.end):
            text += f"; the windows over {fmt_span(start, end)} all fall short"
        return text

    return findings_from_hits(
        hits, ctx.windows, rule=DAY_OFF, person_id=tl.person.id, wording=wording
    )
