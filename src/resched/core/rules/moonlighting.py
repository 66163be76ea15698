"""``moonlighting-pgy1``: PGY-1 residents may not moonlight."""

from __future__ import annotations

from resched.core.model import LoggedWorkKind
from resched.core.rules.context import ScheduleContext
from resched.core.rules.findings import (
    MOONLIGHTING_PGY1,
    Finding,
    Severity,
    display_name,
    fmt_number,
    fmt_span,
    hours,
    round_value,
)
from resched.core.rules.timeline import PersonTimeline


def check_moonlighting_pgy1(ctx: ScheduleContext, tl: PersonTimeline) -> list[Finding]:
    """ACGME CPR VI.F.5.c: PGY-1 residents are not permitted to moonlight.

    One violation per moonlighting entry logged by a PGY-1; the value is its hours."""
    if tl.person.pgy != 1:
        return []
    name = display_name(tl.person)
    found = []
    for iv, work in tl.logged:
        if work.kind is not LoggedWorkKind.MOONLIGHTING:
            continue
        value = hours(iv.seconds)
        found.append(
            Finding(
                rule=MOONLIGHTING_PGY1,
                severity=Severity.VIOLATION,
                person_id=tl.person.id,
                shift_code=None,
                start=iv.first_day,
                end=iv.last_day,
                value=round_value(value, 0.0),
                limit=0.0,
                message=(
                    f"{name}: {fmt_number(value)} h of moonlighting logged "
                    f"{fmt_span(iv.first_day, iv.last_day)} (PGY-1 residents may not "
                    "moonlight)"
                ),
            )
        )
    return found
