"""Integrity rules for everyone: ``double-booked`` and ``absence-conflict``."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left

from resched.core.intervals import day_bounds
from resched.core.model import Assignment
from resched.core.rules.context import ScheduleContext
from resched.core.rules.findings import (
    ABSENCE_CONFLICT,
    DOUBLE_BOOKED,
    Finding,
    Severity,
    display_name,
    fmt_number,
    fmt_span,
    hours,
    round_value,
)
from resched.core.rules.timeline import Booked, PersonTimeline


def check_double_booked(ctx: ScheduleContext, tl: PersonTimeline) -> list[Finding]:
    """ACGME.md ``double-booked``: two of one person's assignment intervals (transition minutes
    included, any kind of shift) must not overlap. One violation per assignment that overlaps
    one sorted before it, paired with the earlier assignment it overlaps most (the one that ends
    latest); the value is the hours of that overlap.

    Not one per overlapping pair: k assignments piled on one another would give k(k-1)/2
    findings, and a document of repeated assignments would take quadratic time and output."""
    name = display_name(tl.person)
    found = []
    latest: Booked | None = None  # of the assignments so far, the one that ends last
    for item in tl.booked:
        start, end = item[1].start, item[1].end
        if latest is not None and start < latest[1].end:
            overlap = min(latest[1].end, end) - start
            found.append(_double(tl, name, latest[4], item[4], overlap))
        if latest is None or end > latest[1].end:
            latest = item
    return found


def _double(tl: PersonTimeline, name: str, a: Assignment, b: Assignment, overlap: int) -> Finding:
    value = hours(overlap)
    return Finding(
        rule=DOUBLE_BOOKED,
        severity=Severity.VIOLATION,
        person_id=tl.person.id,
        shift_code=None,
        start=min(a.date, b.date),
        end=max(a.date, b.date),
        value=round_value(value, 0.0),
        limit=0.0,
        message=(
            f"{name}: {a.shift_code} on {fmt_span(a.date, a.date)} overlaps "
            f"{b.shift_code} on {fmt_span(b.date, b.date)} by {fmt_number(value)} h"
        ),
    )


def check_absence_conflict(ctx: ScheduleContext, tl: PersonTimeline) -> list[Finding]:
    """ACGME.md ``absence-conflict`` (DOMAIN.md: approved absences block assignment): an
    assignment interval must not overlap a leave day of the same person. One violation per
    assignment; the value is the hours that fall on leave days."""
    leave = tl.leave
    if not leave:
        return []
    name = display_name(tl.person)
    found = []
    for _, iv, _, _, a in tl.booked:
        days = [d for d in _days(iv.first_day, iv.last_day) if d in leave]
        if not days:
            continue
        overlap = 0
        for day in days:
            lo, hi = day_bounds(day, ctx.zone)
            overlap += max(0, min(iv.end, hi) - max(iv.start, lo))
        if overlap <= 0:
            continue
        value = hours(overlap)
        # The first absence (by start, then end) covering the day: the earliest whose reach
        # (the latest end so far) gets there; it starts no later than the day, since any that
        # covers it comes no earlier.
        absence = tl.absences[bisect_left(tl.absence_reach, days[0])]
        found.append(
            Finding(
                rule=ABSENCE_CONFLICT,
                severity=Severity.VIOLATION,
                person_id=tl.person.id,
                shift_code=None,
                start=a.date,
                end=iv.last_day,
                value=round_value(value, 0.0),
                limit=0.0,
                message=(
                    f"{name}: {a.shift_code} on {fmt_span(a.date, a.date)} overlaps "
                    f"approved {absence.type.value} {fmt_span(absence.start, absence.end)} "
                    f"by {fmt_number(value)} h"
                ),
            )
        )
    return found


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
