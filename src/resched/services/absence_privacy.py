"""Absences carry health and family reasons: a reader who may not see someone's absences
(services.permissions.absence_visibility) gets reads without them.

Exports leave other people's absences out. Compliance results keep every finding - whether a
schedule is compliant must not depend on who asks - but an ``absence-conflict`` finding about
someone else no longer names the absence's type and dates, only that the assignment overlaps
approved leave.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from resched.core.errors import NotFound
from resched.core.model import Absence
from resched.core.rules import Finding
from resched.core.rules.findings import ABSENCE_CONFLICT
from resched.services.absences import get_absence
from resched.services.common import SessionFactory
from resched.services.permissions import AbsenceVisibility, Principal, absence_visibility

# The rule's message is "<name>: <shift> on <day> overlaps approved <type> <span> by <n> h".
OVERLAP = " overlaps "
HOURS = " by "


def get_visible_absence(
    *, factory: SessionFactory, principal: Principal, absence_id: int
) -> Absence:
    """The absence, if this principal may see it; someone else's is NotFound as if it did not
    exist, so ids do not reveal who is away."""
    found = get_absence(factory=factory, absence_id=absence_id)
    if absence_visibility(principal).shows(found.person_id):
        return found
    raise NotFound(
        f"absence {absence_id} not found", details={"entity": "absence", "id": absence_id}
    )


def visible_absences(absences: Iterable[Absence], visibility: AbsenceVisibility) -> list[Absence]:
    return [a for a in absences if visibility.shows(a.person_id)]


def without_absence_details(
    findings: Sequence[Finding], visibility: AbsenceVisibility
) -> list[Finding]:
    if visibility.everyone:
        return list(findings)
    return [
        f
        if f.rule != ABSENCE_CONFLICT or visibility.shows(f.person_id)
        else replace(f, message=_undetailed(f.message))
        for f in findings
    ]


def _undetailed(message: str) -> str:
    """The assignment and the hours, not which absence: type and span are left out."""
    assignment = message.split(OVERLAP, 1)[0]
    hours = message.rsplit(HOURS, 1)[1] if HOURS in message else None
    ending = f"{HOURS}{hours}" if hours else ""
    return f"{assignment} overlaps approved leave{ending}"
