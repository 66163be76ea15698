"""Emergency coverage (``/leave/emergency``): someone is unavailable from a date. The form
takes the person, the dates, the type and a note; the absence is approved at once and the
repair proposal starts; the emergency's page (``/leave/emergency/{id}``) shows the shifts
affected, the proposal as it is computed, and "Publish repair" with the override reason
(defaulting from the type: the days are inside the freeze horizon)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from resched.core.errors import DomainError, Invalid
from resched.http.auth import request_actor, require
from resched.http.clock import request_now
from resched.http.database import request_factory
from resched.http.params import ItemId
from resched.services.leave.decide import make_decider
from resched.services.leave.emergency import EmergencyType, Unavailable, declare_emergency
from resched.services.permissions import Permission, Principal
from resched.web.absence_forms import people_by_id, person_options
from resched.web.formtools import Submitted, parse_day, refusal_status, sentence
from resched.web.leave_cards import render_emergency
from resched.web.templating import templates

router = APIRouter(include_in_schema=False)
Manager = Annotated[Principal, require(Permission.ABSENCES_MANAGE)]
TYPES = [
    (EmergencyType.SICK.value, "Sick"),
    (EmergencyType.DEPLOYMENT.value, "Deployment"),
    (EmergencyType.FAMILY.value, "Family emergency"),
    (EmergencyType.OTHER.value, "Other"),
]
FIELD_IDS = {"person_id": "em-person", "start": "em-start", "end": "em-end"}
FIELD_IDS |= {"type": "em-type", "note": "em-note"}


def _form_page(
    request: Request,
    principal: Principal,
    form: dict[str, str],
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    names = people_by_id(request_factory(request), principal)
    context: dict[str, Any] = {
        "form": form,
        "errors": errors or {},
        "field_ids": FIELD_IDS,
        "people_options": person_options(names),
        "types": TYPES,
        "section": "leave",
        "program_name": None,
    }
    return templates.TemplateResponse(request, "leave/emergency.html", context, status_code=status)


@router.get("/leave/emergency", response_class=HTMLResponse)
def emergency_form(request: Request, principal: Manager) -> Response:
    today = request_now(request).date().isoformat()
    return _form_page(request, principal, {"start": today, "type": EmergencyType.SICK.value})


def unavailable_from(form: dict[str, str]) -> Unavailable:
    """The emergency as typed (the service checks the person and the dates' order)."""
    person = form.get("person_id", "").strip()
    if not (person.isascii() and person.isdigit() and len(person) < 10):
        raise Invalid("choose a person", details={"field": "person_id"})
    kind = next((EmergencyType(v) for v, _ in TYPES if v == form.get("type")), None)
    if kind is None:
        raise Invalid("choose the type", details={"field": "type"})
    end_text = form.get("end", "").strip()
    end: dt.date | None = parse_day(end_text, "end") if end_text else None
    start = parse_day(form.get("start", ""), "start")
    return Unavailable(int(person), start, kind, end, form.get("note", ""))


@router.post("/leave/emergency")
def declare(request: Request, principal: Manager, form: Submitted) -> Response:
    factory = request_factory(request)
    try:
        found = declare_emergency(
            factory=factory,
            queue=request.app.state.job_queue,
            unavailable=unavailable_from(form),
            decider=make_decider(
                factory=factory,
                actor=request_actor(request, principal),
                user_id=principal.user_id,
                now=request_now(request),
            ),
        )
    except DomainError as exc:
        field = str(exc.details.get("field", "start"))
        errors = {field: sentence(exc.message)}
        return _form_page(request, principal, form, errors, refusal_status(exc))
    return RedirectResponse(f"/leave/emergency/{found.touched.record.id}", status_code=303)


@router.get("/leave/emergency/{absence_id:int}", response_class=HTMLResponse)
def emergency_detail(request: Request, principal: Manager, absence_id: ItemId) -> Response:
    return render_emergency(request, absence_id)
