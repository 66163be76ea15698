"""/requests: days off, shifts and rotations people ask for, and whether the last generation
honoured each. Coordinators see everyone's, add one for anyone, grant, decline or delete;
residents and faculty see and add their own and withdraw one while it is open. The same
services, permission checks and audit as ``/api/v1/requests``; errors show at the field."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from resched.core.errors import DomainError, Invalid
from resched.core.model import Request as Wish
from resched.core.model import RequestKind, RequestStatus
from resched.http.auth import request_actor, require
from resched.http.database import request_factory
from resched.http.params import MAX_ID, ItemId, Offset
from resched.services import requests
from resched.services.pages.requests import RequestFilter, load_requests_view
from resched.services.permissions import (
    Permission,
    Principal,
    check_request_change,
    readable_request_person_id,
)
from resched.services.years import load_program_info
from resched.web.formtools import parse_day, sentence
from resched.web.templating import templates

router = APIRouter(include_in_schema=False, prefix="/requests")
Requester = Annotated[Principal, require(Permission.REQUESTS_OWN)]
Manager = Annotated[Principal, require(Permission.REQUESTS_MANAGE)]
Text = Annotated[str, Form(max_length=4000)]
PAGE = "/requests"
KINDS = (
    (RequestKind.DAY_OFF.value, "Day off"),
    (RequestKind.SHIFT_ON.value, "Work a shift"),
    (RequestKind.SHIFT_OFF.value, "Not work a shift"),
    (RequestKind.ROTATION.value, "Rotation"),
    (RequestKind.VACATION.value, "Vacation block"),
)
STATUSES = tuple((s.value, s.value.capitalize()) for s in RequestStatus)
NOTICES = {
    "created": "Your request was added.",
    "withdrawn": "The request was withdrawn.",
    "decided": "The request was updated.",
    "deleted": "The request was deleted.",
}
EVERYONE = RequestFilter()
_FIELDS = ("person_id", "kind", "start", "end", "shift_code", "rotation_code", "weight", "note")


def _page(
    request: Request,
    principal: Principal,
    *,
    only: RequestFilter = EVERYONE,
    offset: int = 0,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    notice: str | None = None,
    status: int = 200,
) -> Response:
    factory = request_factory(request)
    manager = principal.can(Permission.REQUESTS_MANAGE)
    view = None
    if manager or principal.person_id is not None:
        view = load_requests_view(factory=factory, only=only, offset=offset)
    with factory() as session:
        program_name = load_program_info(session).name
    context: dict[str, Any] = {
        "view": view,
        "manager": manager,
        "only": only,
        "form": form or {"kind": RequestKind.DAY_OFF.value, "weight": "1"},
        "errors": errors or {},
        "notice": notice,
        "kinds": KINDS,
        "kind_names": dict(KINDS),
        "statuses": STATUSES,
        "previous_url": _url(only, offset - (view.limit if view else 0)) if offset > 0 else None,
        "next_url": _url(only, offset + view.limit)
        if view and offset + view.limit < view.total
        else None,
        "section": "requests",
        "program_name": program_name,
    }
    return templates.TemplateResponse(request, "requests/page.html", context, status_code=status)


def _url(only: RequestFilter, offset: int) -> str:
    query = {k: str(v) for k, v in dataclasses.asdict(only).items() if v is not None}
    query["offset"] = str(max(offset, 0))
    return PAGE + "?" + "&".join(f"{k}={v}" for k, v in query.items())


@router.get("")
def requests_page(
    request: Request,
    principal: Requester,
    person_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    kind: RequestKind | None = None,
    status: RequestStatus | None = None,
    offset: Offset = 0,
    notice: str = "",
) -> Response:
    own = principal.person_id if not principal.can(Permission.REQUESTS_MANAGE) else None
    chosen = readable_request_person_id(principal, person_id) if own is not None else person_id
    only = RequestFilter(person_id=chosen, kind=kind, status=status)
    return _page(request, principal, only=only, offset=offset, notice=NOTICES.get(notice))


def _whole(value: str, field: str, what: str) -> int:
    text = value.strip()
    if not (text.isascii() and text.isdigit()) or int(text) > MAX_ID:
        raise Invalid(f"enter {what}", details={"field": field})
    return int(text)


def _wish(form: dict[str, str], principal: Principal, manager: bool) -> Wish:
    """The request the form describes; a code the chosen kind does not use is dropped (the
    form shows every select, the kind decides which one counts)."""
    kind = next((RequestKind(v) for v, _ in KINDS if v == form["kind"]), None)
    if kind is None:
        raise Invalid("choose what you ask for", details={"field": "kind"})
    if manager:
        person_id = _whole(form["person_id"], "person_id", "a person")
        weight = _whole(form["weight"] or "1", "weight", "a weight from 0 to 10")
    else:
        person_id, weight = principal.person_id or 0, requests.DEFAULT_WEIGHT
    shift = form["shift_code"].strip() or None
    rotation = form["rotation_code"].strip() or None
    return Wish(
        person_id=person_id,
        kind=kind,
        start=parse_day(form["start"], "start"),
        end=parse_day(form["end"] or form["start"], "end"),
        shift_code=shift if kind in (RequestKind.SHIFT_ON, RequestKind.SHIFT_OFF) else None,
        rotation_code=rotation if kind is RequestKind.ROTATION else None,
        weight=weight,
        note=form["note"].strip(),
    )


@router.post("")
def create_request(
    request: Request,
    principal: Requester,
    person_id: Text = "",
    kind: Text = "",
    start: Text = "",
    end: Text = "",
    shift_code: Text = "",
    rotation_code: Text = "",
    weight: Text = "1",
    note: Text = "",
) -> Response:
    form = dict(
        zip(
            _FIELDS,
            (person_id, kind, start, end, shift_code, rotation_code, weight, note),
            strict=True,
        )
    )
    manager = principal.can(Permission.REQUESTS_MANAGE)
    try:
        wish = _wish(form, principal, manager)
        check_request_change(principal, person_id=wish.person_id, new_status=wish.status)
        requests.create_request(
            factory=request_factory(request),
            request=wish,
            actor=request_actor(request, principal),
        )
    except Invalid as exc:
        field = str(exc.details.get("field", "kind"))
        errors = {field if field in _FIELDS else "kind": sentence(exc.message)}
        return _page(request, principal, form=form, errors=errors, status=422)
    return RedirectResponse(f"{PAGE}?notice=created", status_code=303)


@router.post("/{request_id:int}/withdraw")
def withdraw_request(request: Request, principal: Requester, request_id: ItemId) -> Response:
    factory = request_factory(request)
    try:
        current = requests.get_request(factory=factory, request_id=request_id)
        check_request_change(
            principal,
            person_id=current.person_id,
            old_status=current.status,
            new_status=RequestStatus.WITHDRAWN,
        )
        requests.withdraw_request(
            factory=factory, request_id=request_id, actor=request_actor(request, principal)
        )
    except DomainError as exc:
        return _refused(request, principal, exc)
    return RedirectResponse(f"{PAGE}?notice=withdrawn", status_code=303)


@router.post("/{request_id:int}/decide")
def decide_request(
    request: Request, principal: Manager, request_id: ItemId, status: Text = ""
) -> Response:
    factory = request_factory(request)
    try:
        chosen = next((RequestStatus(v) for v, _ in STATUSES if v == status), None)
        if chosen is None:
            raise Invalid("choose a status", details={"field": "status"})
        current = requests.get_request(factory=factory, request_id=request_id)
        requests.update_request(
            factory=factory,
            request_id=request_id,
            request=dataclasses.replace(current, status=chosen, id=None),
            actor=request_actor(request, principal),
        )
    except DomainError as exc:
        return _refused(request, principal, exc)
    return RedirectResponse(f"{PAGE}?notice=decided#request-{request_id}", status_code=303)


@router.post("/{request_id:int}/delete")
def delete_request(request: Request, principal: Manager, request_id: ItemId) -> Response:
    try:
        requests.delete_request(
            factory=request_factory(request),
            request_id=request_id,
            actor=request_actor(request, principal),
        )
    except DomainError as exc:
        return _refused(request, principal, exc)
    return RedirectResponse(f"{PAGE}?notice=deleted", status_code=303)


def _refused(request: Request, principal: Principal, exc: DomainError) -> Response:
    """The page with the refusal on top; someone else's request is "not found" to a member,
    as in the API."""
    status = {"not_found": 404, "conflict": 409, "forbidden": 403}.get(exc.code, 422)
    message = sentence(exc.message)
    if status == 403 and exc.details.get("field") == "person_id":
        status, message = 404, "That request was not found."
    return _page(request, principal, errors={"action": message}, status=status)
