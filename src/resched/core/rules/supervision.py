"""``supervision-ratio``: enough supervising faculty for the residents on a shift."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter

from resched.core.model import Person, Role
from resched.core.rules.context import ScheduleContext
from resched.core.rules.findings import SUPERVISION_RATIO, Finding, Severity, fmt_span


def check_supervision_ratio(ctx: ScheduleContext, day: dt.date, shift_code: str) -> list[Finding]:
    """ACGME CPR VI.A.2 (supervision of residents), with the resident-to-faculty ratios the
    Review Committee sets (program setting ``supervision_ratio``: PGY-1 1:2, PGY-2 and up 1:4).

    For a shift type S that requires supervision on date D: the faculty assigned on D to S or
    to a shift listed in S's ``supervised_by`` must number at least
    ceil(sum over the residents on S of 1 / ratio[pgy]). A resident without a PGY level is
    held to the PGY-1 ratio, the strictest."""
    shift = ctx.shift_types[shift_code]
    people = ctx.people
    residents = [
        people[pid]
        for pid in dict.fromkeys(ctx.slot(day, shift_code))
        if people[pid].role is Role.RESIDENT
    ]
    if not residents:
        return []
    ratios = Counter(ctx.rules.ratio_for(r.pgy or 1) for r in residents)
    # ceil(sum of 1/ratio), exactly, over a common denominator; one term per distinct ratio,
    # so a crowded shift costs no more big-integer divisions than there are PGY levels.
    common = math.lcm(*ratios)
    needed = -(-sum(count * (common // r) for r, count in ratios.items()) // common)
    faculty = {
        pid
        for code in (shift.code, *shift.supervised_by)
        for pid in ctx.slot(day, code)
        if people[pid].role is Role.FACULTY
    }
    if len(faculty) >= needed:
        return []
    return [
        Finding(
            rule=SUPERVISION_RATIO,
            severity=Severity.VIOLATION,
            person_id=None,
            shift_code=shift.code,
            start=day,
            end=day,
            value=float(len(faculty)),
            limit=float(needed),
            message=_message(shift.code, day, len(faculty), residents, needed),
        )
    ]


def _message(code: str, day: dt.date, faculty: int, residents: list[Person], needed: int) -> str:
    juniors = sum(1 for r in residents if (r.pgy or 1) == 1)
    mix = f"{juniors} PGY-1, {len(residents) - juniors} PGY-2+"
    plural = "s" if len(residents) > 1 else ""
    return (
        f"{code} on {fmt_span(day, day)}: {faculty} supervising faculty for "
        f"{len(residents)} resident{plural} ({mix}); needs {needed}"
    )
