"""The Leave queue (``/leave``): each requested absence with the shifts it touches and its
repair proposal - "Propose repair" starts the repair job, whose card refreshes itself while
it runs (htmx polling of the card alone, as the Jobs page polls a row); then the changes in
words with any warnings, "Approve with this repair", "Approve without repair" (a reason when
shifts are left uncovered) and "Deny" (a reason). The same services as /api/v1."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from resched.core.changes.kinds import OverrideReason
from resched.core.errors import DomainError
from resched.http.auth import request_actor, require
from resched.http.database import request_factory
from resched.http.deciders import request_decider
from resched.http.params import ItemId
from resched.services.changes.model import Override
from resched.services.leave.decide import approve_leave, deny_leave
from resched.services.leave.decide import publish_repair as publish
from resched.services.leave.proposal import start_repair
from resched.services.leave.queue import leave_queue
from resched.services.permissions import Permission, Principal
from resched.web.formtools import Submitted, refusal_status, sentence
from resched.web.leave_cards import NOTICES, card_context, render_card, render_emergency
from resched.web.templating import templates

router = APIRouter(include_in_schema=False)
Manager = Annotated[Principal, require(Permission.ABSENCES_MANAGE)]


def _queue_page(
    request: Request, errors: dict[int, str] | None = None, status: int = 200
) -> Response:
    wanted = errors or {}
    cards = [
        card_context(p, error=wanted.get(p.touched.record.id, ""))
        for p in leave_queue(factory=request_factory(request))
    ]
    context = {
        "cards": cards,
        "notice": NOTICES.get(request.query_params.get("notice", "")),
        "section": "leave",
        "program_name": None,
    }
    return templates.TemplateResponse(request, "leave/page.html", context, status_code=status)


@router.get("/leave", response_class=HTMLResponse)
def leave_queue_page(request: Request, principal: Manager) -> Response:
    return _queue_page(request)


@router.get("/leave/{absence_id:int}/card", response_class=HTMLResponse)
def leave_card(request: Request, principal: Manager, absence_id: ItemId) -> Response:
    return render_card(request, absence_id, emergency=_emergency(request))


def _emergency(request: Request) -> bool:
    return request.query_params.get("emergency") == "1"


def _back(request: Request, absence_id: int, notice: str = "") -> Response:
    """htmx: the card again; a plain form: the page it came from."""
    if request.headers.get("hx-request") == "true":
        return render_card(request, absence_id, emergency=_emergency(request))
    target = f"/leave/emergency/{absence_id}" if _emergency(request) else "/leave"
    query = f"?notice={notice}" if notice else ""
    return RedirectResponse(f"{target}{query}#leave-{absence_id}", status_code=303)


def _refused(request: Request, absence_id: int, exc: DomainError) -> Response:
    error, status = sentence(exc.message), refusal_status(exc)
    if request.headers.get("hx-request") == "true":
        return render_card(
            request, absence_id, emergency=_emergency(request), error=error, status=status
        )
    if _emergency(request):
        return render_emergency(request, absence_id, error=error, status=status)
    return _queue_page(request, {absence_id: error}, status)


@router.post("/leave/{absence_id:int}/repair")
def propose_repair(request: Request, principal: Manager, absence_id: ItemId) -> Response:
    try:
        start_repair(
            factory=request_factory(request),
            queue=request.app.state.job_queue,
            absence_id=absence_id,
            actor=request_actor(request, principal),
            requested_by=principal.user_id,
        )
    except DomainError as exc:
        return _refused(request, absence_id, exc)
    return _back(request, absence_id, "started")


@router.post("/leave/{absence_id:int}/approve")
def approve(request: Request, principal: Manager, absence_id: ItemId, form: Submitted) -> Response:
    try:
        approve_leave(
            factory=request_factory(request),
            absence_id=absence_id,
            decider=request_decider(request, principal),
            accept_repair=form.get("repair") == "yes",
            reason=form.get("reason", ""),
        )
    except DomainError as exc:
        return _refused(request, absence_id, exc)
    return RedirectResponse("/leave?notice=approved", status_code=303)


@router.post("/leave/{absence_id:int}/deny")
def deny(request: Request, principal: Manager, absence_id: ItemId, form: Submitted) -> Response:
    try:
        deny_leave(
            factory=request_factory(request),
            absence_id=absence_id,
            decider=request_decider(request, principal),
            reason=form.get("reason", ""),
        )
    except DomainError as exc:
        return _refused(request, absence_id, exc)
    return RedirectResponse("/leave?notice=denied", status_code=303)


@router.post("/leave/{absence_id:int}/publish")
def publish_repair(
    request: Request, principal: Manager, absence_id: ItemId, form: Submitted
) -> Response:
    reason = next((r for r in OverrideReason if r.value == form.get("override")), None)
    override = None if reason is None else Override(reason, form.get("override_note", ""))
    try:
        publish(
            factory=request_factory(request),
            absence_id=absence_id,
            decider=request_decider(request, principal),
            override=override,
        )
    except DomainError as exc:
        return _refused(request, absence_id, exc)
    return RedirectResponse(f"/leave/emergency/{absence_id}?notice=published", status_code=303)
