"""The actions on one absence of the /absences list: a coordinator's approve or deny (the leave
decision: resched.web.absence_decisions), a withdrawal and a deletion. From the list by htmx
the answer is the row as it is now; without JavaScript, the list with a notice."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from resched.core.errors import DomainError, Forbidden, NotFound
from resched.core.model import AbsenceStatus
from resched.http.auth import request_actor, require
from resched.http.database import request_factory
from resched.http.params import ItemId
from resched.services import absences
from resched.services.absence_privacy import get_visible_absence
from resched.services.permissions import Permission, Principal, check_absence_change
from resched.services.versions import Edited, version_of
from resched.web.absence_decisions import Refusal, decide, refusal_of, wanted_decision
from resched.web.absence_forms import people_by_id
from resched.web.absences_page import NOTICES, PAGE, render_page
from resched.web.formtools import Submitted, refusal_status
from resched.web.stale_edits import pop_version
from resched.web.templating import templates

router = APIRouter(include_in_schema=False, prefix=PAGE)
Requester = Annotated[Principal, require(Permission.REQUESTS_OWN)]
Manager = Annotated[Principal, require(Permission.ABSENCES_MANAGE)]


def _set_status(
    request: Request, principal: Principal, absence_id: int, wanted: AbsenceStatus
) -> Response:
    """Withdraw: the same request with another status."""
    factory = request_factory(request)
    # The version first: an edit saved between these reads and the write is refused (409),
    # never overwritten with the absence as read here.
    version = version_of(factory=factory, kind=Edited.ABSENCE, item_id=absence_id)
    current = get_visible_absence(factory=factory, principal=principal, absence_id=absence_id)
    check_absence_change(
        principal, person_id=current.person_id, old_status=current.status, new_status=wanted
    )
    absences.update_absence(
        factory=factory,
        absence_id=absence_id,
        absence=replace(current, status=wanted),
        actor=request_actor(request, principal),
        expected_version=version,
    )
    return _row_or_list(request, principal, absence_id, wanted.value)


def _row_or_list(
    request: Request,
    principal: Principal,
    absence_id: int,
    notice: str,
    refusal: Refusal | None = None,
    status: int = 200,
) -> Response:
    """From the list by htmx, the row as it is now (a refused decision's words in it);
    otherwise the list, with a notice or the refusal."""
    refusals = {} if refusal is None else {absence_id: refusal}
    if request.headers.get("hx-request") != "true":
        if refusal is not None:
            return render_page(request, principal, refusals=refusals, status=status)
        return RedirectResponse(f"{PAGE}?notice={notice}", status_code=303)
    factory = request_factory(request)
    context = {
        "absence": get_visible_absence(factory=factory, principal=principal, absence_id=absence_id),
        "names": people_by_id(factory, principal),
        "manager": principal.can(Permission.ABSENCES_MANAGE),
        "refusals": refusals,
    } | ({"row_notice": NOTICES[notice]} if refusal is None else {})
    return templates.TemplateResponse(request, "absences/_row.html", context, status_code=status)


@router.post("/{absence_id:int}/decision")
def decide_absence(
    request: Request, principal: Manager, absence_id: ItemId, form: Submitted
) -> Response:
    """Approve or deny a request through the leave decision (resched.web.absence_decisions);
    a refusal (shifts left uncovered without a reason, a denial without one, a request
    decided or changed meanwhile) comes back in the row with what was typed."""
    decision = wanted_decision(form)
    reason = form.get("reason", "")
    try:
        decide(request, principal, absence_id, decision, reason)
    except (Forbidden, NotFound):
        raise
    except DomainError as exc:
        refused = refusal_of(exc, reason)
        return _row_or_list(request, principal, absence_id, "", refused, refusal_status(exc))
    return _row_or_list(request, principal, absence_id, decision.value)


@router.post("/{absence_id:int}/withdraw")
def withdraw_absence(request: Request, principal: Requester, absence_id: ItemId) -> Response:
    return _set_status(request, principal, absence_id, AbsenceStatus.CANCELLED)


@router.post("/{absence_id:int}/delete")
def delete_absence(
    request: Request, principal: Requester, absence_id: ItemId, form: Submitted
) -> Response:
    factory = request_factory(request)
    current = get_visible_absence(factory=factory, principal=principal, absence_id=absence_id)
    check_absence_change(
        principal, person_id=current.person_id, old_status=current.status, new_status=None
    )
    absences.delete_absence(
        factory=factory,
        absence_id=absence_id,
        actor=request_actor(request, principal),
        expected_version=pop_version(form),
    )
    return RedirectResponse(f"{PAGE}?notice=deleted", status_code=303)
