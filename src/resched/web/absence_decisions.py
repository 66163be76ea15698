"""A coordinator's Approve or Deny of a requested absence on the Absences list: the leave
decision (resched.services.leave.decide), as on the Leave queue and in the API - never a bare
change of status. Approving refuses (422) while the person still holds shifts on those days,
unless the coordinator gives a reason to leave them uncovered (the Leave queue proposes a
repair instead); denying needs a reason. The decider is recorded and the requester told."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from resched.core.errors import DomainError, Invalid
from resched.core.model import AbsenceStatus
from resched.http.database import request_factory
from resched.http.deciders import request_decider
from resched.services.absence_privacy import get_visible_absence
from resched.services.leave.decide import approve_leave, deny_leave
from resched.services.permissions import Principal
from resched.services.versions import Edited, version_of
from resched.web.formtools import sentence

DECISIONS = {"approve": AbsenceStatus.APPROVED, "deny": AbsenceStatus.DENIED}


@dataclass(frozen=True, slots=True)
class Refusal:
    """A decision not taken, for the row: the words, what the coordinator typed, and whether
    shifts would be left uncovered (then the Leave queue's repair is the way on)."""

    message: str
    reason: str
    repair: bool


def wanted_decision(form: dict[str, str]) -> AbsenceStatus:
    decision = DECISIONS.get(form.get("decision", ""))
    if decision is None:
        raise Invalid("the decision is approve or deny", details={"field": "decision"})
    return decision


def decide(
    request: Request, principal: Principal, absence_id: int, decision: AbsenceStatus, reason: str
) -> None:
    """Approve (without a repair) or deny the request through the leave decision."""
    factory = request_factory(request)
    # The version first: an edit saved between this read and the decision is refused (409).
    version = version_of(factory=factory, kind=Edited.ABSENCE, item_id=absence_id)
    get_visible_absence(factory=factory, principal=principal, absence_id=absence_id)
    decider = request_decider(request, principal)
    if decision is AbsenceStatus.APPROVED:
        approve_leave(
            factory=factory,
            absence_id=absence_id,
            decider=decider,
            accept_repair=False,
            reason=reason,
            expected_version=version,
        )
    else:
        deny_leave(
            factory=factory,
            absence_id=absence_id,
            decider=decider,
            reason=reason,
            expected_version=version,
        )


def refusal_of(exc: DomainError, reason: str) -> Refusal:
    return Refusal(sentence(exc.message), reason.strip(), bool(exc.details.get("orphaned")))
