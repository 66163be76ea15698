"""What the Leave queue and the Emergency coverage pages share: a request's card (the shifts
it touches, its repair proposal and the decisions) and the emergency's own page."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import Response

from resched.core.changes.kinds import OVERRIDE_LABELS, OverrideReason
from resched.core.model import AbsenceType
from resched.http.database import request_factory
from resched.services.leave.emergency import DEFAULT_OVERRIDES, EmergencyType
from resched.services.leave.proposal import Proposal, get_proposal
from resched.web.templating import templates

OVERRIDES = [(r.value, OVERRIDE_LABELS[r]) for r in OverrideReason]
NOTICES = {
    "approved": "The leave was approved.",
    "denied": "The leave was denied.",
    "published": "The repair was published; everyone whose shifts changed was told.",
    "started": "The repair proposal is being computed.",
}


def default_override(p: Proposal) -> str:
    """The override reason an emergency's type suggests."""
    kind = {
        AbsenceType.SICK: EmergencyType.SICK,
        AbsenceType.DEPLOYMENT: EmergencyType.DEPLOYMENT,
    }.get(p.touched.record.absence.type, EmergencyType.OTHER)
    return DEFAULT_OVERRIDES[kind].value


def card_context(p: Proposal, *, emergency: bool = False, error: str = "") -> dict[str, Any]:
    return {
        "p": p,
        "emergency": emergency,
        "error": error,
        "overrides": OVERRIDES,
        "default_override": default_override(p),
    }


def render_card(
    request: Request, absence_id: int, *, emergency: bool, error: str = "", status: int = 200
) -> Response:
    p = get_proposal(factory=request_factory(request), absence_id=absence_id)
    context = card_context(p, emergency=emergency, error=error)
    return templates.TemplateResponse(request, "leave/_card.html", context, status_code=status)


def render_emergency(
    request: Request, absence_id: int, *, error: str = "", status: int = 200
) -> Response:
    """One emergency: who is away, the shifts affected, the proposal and "Publish repair"."""
    p = get_proposal(factory=request_factory(request), absence_id=absence_id)
    context = card_context(p, emergency=True, error=error) | {
        "notice": NOTICES.get(request.query_params.get("notice", "")),
        "section": "leave",
        "program_name": None,
    }
    return templates.TemplateResponse(
        request, "leave/emergency_detail.html", context, status_code=status
    )
