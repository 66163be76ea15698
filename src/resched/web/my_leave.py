"""Requesting leave from My schedule: a requested absence of the signed-in person (the same
service, permission check and audit as the Absences page), decided on the Leave queue."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from resched.core.errors import DomainError, Forbidden, Invalid
from resched.core.model import AbsenceStatus
from resched.http.auth import request_actor, require
from resched.http.database import request_factory
from resched.services import absences
from resched.services.permissions import Permission, Principal, check_absence_change
from resched.web.absence_forms import absence_from, field_errors
from resched.web.formtools import Submitted, refusal_status
from resched.web.my_schedule_page import render_my_schedule

router = APIRouter(include_in_schema=False)
Requester = Annotated[Principal, require(Permission.REQUESTS_OWN)]


@router.post("/me/leave")
def request_leave(request: Request, principal: Requester, form: Submitted) -> Response:
    if principal.person_id is None:
        raise Invalid(
            "your account is not linked to a person of the program", details={"field": "person"}
        )
    try:
        # Always the person's own request, whatever their role.
        as_member = {**form, "person_id": str(principal.person_id)}
        absence = absence_from(as_member | {"status": AbsenceStatus.REQUESTED.value}, principal)
        check_absence_change(principal, person_id=principal.person_id, new_status=absence.status)
        absences.create_absence(
            factory=request_factory(request),
            absence=absence,
            actor=request_actor(request, principal),
        )
    except Forbidden:
        raise
    except DomainError as exc:
        return render_my_schedule(request, principal, form, field_errors(exc), refusal_status(exc))
    return RedirectResponse("/me?notice=leave-requested#my-leave", status_code=303)
