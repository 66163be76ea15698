"""/absences: whole days away. Coordinators see everyone's (filtered by status or person),
approve or deny requests, add, edit and delete any absence; residents and faculty see only
their own, request one and withdraw or change it while it is undecided
(services.permissions.check_absence_change). The same services and audit as
``/api/v1/absences``; someone else's absence is a 404 to those who may not see it."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from resched.core.errors import DomainError, Forbidden, Invalid
from resched.core.model import Absence, AbsenceStatus, AbsenceType
from resched.db.records import PersonProfile
from resched.http.auth import request_actor, require
from resched.http.params import ItemId, Offset
from resched.services import absences, people
from resched.services.absence_privacy import get_visible_absence, visible_absences
from resched.services.common import MAX_PAGE_SIZE
from resched.services.permissions import (
    Permission,
    Principal,
    absence_visibility,
    check_absence_change,
    readable_person_id,
)
from resched.web.formtools import Submitted, parse_day, refusal_status, sentence
from resched.web.templating import templates

router = APIRouter(include_in_schema=False, prefix="/absences")
Requester = Annotated[Principal, require(Permission.REQUESTS_OWN)]
Manager = Annotated[Principal, require(Permission.ABSENCES_MANAGE)]
Filter = Annotated[str, Query(max_length=20)]
PAGE = "/absences"
TYPES = [(t.value, "TDY" if t is AbsenceType.TDY else t.value.capitalize()) for t in AbsenceType]
STATUSES = [(s.value, s.value.capitalize()) for s in AbsenceStatus]
FIELD_IDS = {"person_id": "absence-person", "start": "absence-start", "end": "absence-end"}
FIELD_IDS |= {"type": "absence-type", "status": "absence-status", "note": "absence-note"}
NOTICES = {
    "requested": "Your request was sent: a coordinator decides it.",
    "created": "The absence was added.",
    "saved": "The absence was saved.",
    "approved": "The absence was approved.",
    "denied": "The absence was denied.",
    "cancelled": "The request was withdrawn.",
    "deleted": "The absence was deleted.",
}


def _people_by_id(request: Request, principal: Principal) -> dict[int, PersonProfile]:
    """Whose names the page may show: everyone for a manager, else the principal's own."""
    factory = request.app.state.session_factory
    if not principal.can(Permission.ABSENCES_MANAGE):
        if principal.person_id is None:
            return {}
        own = people.get_person(factory=factory, person_id=principal.person_id)
        return {principal.person_id: own}
    found: dict[int, PersonProfile] = {}
    offset, total = 0, 1
    while offset < total:
        page = people.list_people(factory=factory, limit=MAX_PAGE_SIZE, offset=offset)
        found |= {p.id: p for p in page.items if p.id is not None}
        offset, total = offset + MAX_PAGE_SIZE, page.total
    return found


def _options(names: dict[int, PersonProfile], keep: int | None = None) -> list[tuple[str, str]]:
    """The people an absence can be for: the active ones (and whoever it is for now)."""
    return [(str(i), f"{p.name} ({p.code})") for i, p in names.items() if p.active or i == keep]


def _page(
    request: Request,
    principal: Principal,
    *,
    status_filter: str = "",
    person: str = "",
    offset: int = 0,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    notice: str | None = None,
    status: int = 200,
) -> Response:
    manager = principal.can(Permission.ABSENCES_MANAGE)
    chosen = next((AbsenceStatus(v) for v, _ in STATUSES if v == status_filter), None)
    wanted = int(person) if manager and person.isdigit() and len(person) < 10 else None
    listed = None
    if manager or principal.person_id is not None:
        listed = absences.list_absences(
            factory=request.app.state.session_factory,
            limit=MAX_PAGE_SIZE,
            offset=offset,
            person_id=readable_person_id(principal, wanted),
            status=chosen,
        )
    shown = visible_absences(listed.items, absence_visibility(principal)) if listed else []
    names = _people_by_id(request, principal)
    context: dict[str, Any] = {
        "absences": shown,
        "total": listed.total if listed else 0,
        "next_offset": offset + MAX_PAGE_SIZE
        if listed and offset + MAX_PAGE_SIZE < listed.total
        else None,
        "names": names,
        "people_options": _options(names),
        "manager": manager,
        "has_person": principal.person_id is not None,
        "filters": {"status": chosen.value if chosen else "", "person": str(wanted or "")},
        "form": form
        or {"type": AbsenceType.VACATION.value, "status": AbsenceStatus.APPROVED.value},
        "errors": errors or {},
        "field_ids": FIELD_IDS,
        "types": TYPES,
        "statuses": STATUSES,
        "notice": notice,
        "section": "absences",
        "program_name": None,
    }
    return templates.TemplateResponse(request, "absences/page.html", context, status_code=status)


@router.get("")
def absences_page(
    request: Request,
    principal: Requester,
    status: Filter = "",
    person: Filter = "",
    offset: Offset = 0,
    notice: Filter = "",
) -> Response:
    return _page(
        request,
        principal,
        status_filter=status,
        person=person,
        offset=offset,
        notice=NOTICES.get(notice),
    )


def _absence_from(form: dict[str, str], principal: Principal) -> Absence:
    """The absence as typed; a member's is always their own request. The service checks
    the values; only the text is read here."""
    manager = principal.can(Permission.ABSENCES_MANAGE)
    person = form.get("person_id", "").strip() if manager else str(principal.person_id or "")
    if not (person.isdigit() and len(person) < 10):
        raise Invalid("choose a person", details={"field": "person_id"})
    kind = next((AbsenceType(v) for v, _ in TYPES if v == form.get("type")), None)
    if kind is None:
        raise Invalid("choose the type of absence", details={"field": "type"})
    chosen = AbsenceStatus.REQUESTED
    if manager:
        found = next((AbsenceStatus(v) for v, _ in STATUSES if v == form.get("status")), None)
        if found is None:
            raise Invalid("choose a status", details={"field": "status"})
        chosen = found
    return Absence(
        person_id=int(person),
        start=parse_day(form.get("start", ""), "start"),
        end=parse_day(form.get("end", ""), "end"),
        type=kind,
        status=chosen,
        note=form.get("note", "").strip(),
    )


def _save(
    request: Request, principal: Principal, form: dict[str, str], absence_id: int | None
) -> None:
    """Add the absence as typed (``absence_id`` None) or replace that one with it."""
    absence = _absence_from(form, principal)
    check_absence_change(principal, person_id=absence.person_id, new_status=absence.status)
    factory = request.app.state.session_factory
    actor = request_actor(request, principal)
    if absence_id is None:
        absences.create_absence(factory=factory, absence=absence, actor=actor)
    else:
        absences.update_absence(
            factory=factory, absence_id=absence_id, absence=absence, actor=actor
        )


@router.post("")
def create_absence(request: Request, principal: Requester, form: Submitted) -> Response:
    try:
        _save(request, principal, form, None)
    except Forbidden:
        raise  # not the form's fault: the error page says who may do what
    except DomainError as exc:
        errors = _field_errors(exc)
        return _page(request, principal, form=form, errors=errors, status=refusal_status(exc))
    created = "created" if principal.can(Permission.ABSENCES_MANAGE) else "requested"
    return RedirectResponse(f"{PAGE}?notice={created}", status_code=303)


def _edit_page(
    request: Request,
    principal: Principal,
    absence: Absence,
    *,
    form: dict[str, str],
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    names = _people_by_id(request, principal)
    context: dict[str, Any] = {
        "absence": absence,
        "names": names,
        "people_options": _options(names, keep=absence.person_id),
        "manager": principal.can(Permission.ABSENCES_MANAGE),
        "form": form,
        "errors": errors or {},
        "field_ids": FIELD_IDS,
        "types": TYPES,
        "statuses": STATUSES,
        "section": "absences",
        "program_name": None,
    }
    return templates.TemplateResponse(request, "absences/edit.html", context, status_code=status)


def _values_of(absence: Absence) -> dict[str, str]:
    return {
        "person_id": str(absence.person_id),
        "start": absence.start.isoformat(),
        "end": absence.end.isoformat(),
        "type": absence.type.value,
        "status": absence.status.value,
        "note": absence.note,
    }


def _editable(request: Request, principal: Principal, absence_id: int) -> Absence:
    """The absence, if the principal may see and change it (a member: their own request)."""
    current = get_visible_absence(
        factory=request.app.state.session_factory, principal=principal, absence_id=absence_id
    )
    check_absence_change(
        principal,
        person_id=current.person_id,
        old_status=current.status,
        new_status=current.status,
    )
    return current


@router.get("/{absence_id:int}/edit")
def edit_absence_page(request: Request, principal: Requester, absence_id: ItemId) -> Response:
    current = _editable(request, principal, absence_id)
    return _edit_page(request, principal, current, form=_values_of(current))


@router.post("/{absence_id:int}")
def update_absence(
    request: Request, principal: Requester, absence_id: ItemId, form: Submitted
) -> Response:
    current = _editable(request, principal, absence_id)
    try:
        _save(request, principal, form, absence_id)
    except Forbidden:
        raise
    except DomainError as exc:
        errors = _field_errors(exc)
        return _edit_page(
            request, principal, current, form=form, errors=errors, status=refusal_status(exc)
        )
    return RedirectResponse(f"{PAGE}?notice=saved", status_code=303)


def _set_status(
    request: Request, principal: Principal, absence_id: int, wanted: AbsenceStatus
) -> Response:
    """Approve, deny or withdraw: the same absence with another status. From the list by
    htmx the row comes back; otherwise the list with a notice."""
    factory = request.app.state.session_factory
    current = get_visible_absence(factory=factory, principal=principal, absence_id=absence_id)
    check_absence_change(
        principal, person_id=current.person_id, old_status=current.status, new_status=wanted
    )
    updated = absences.update_absence(
        factory=factory,
        absence_id=absence_id,
        absence=replace(current, status=wanted),
        actor=request_actor(request, principal),
    )
    if request.headers.get("hx-request") == "true":
        context = {
            "absence": updated,
            "names": _people_by_id(request, principal),
            "manager": principal.can(Permission.ABSENCES_MANAGE),
            "row_notice": NOTICES[wanted.value],
        }
        return templates.TemplateResponse(request, "absences/_row.html", context)
    return RedirectResponse(f"{PAGE}?notice={wanted.value}", status_code=303)


@router.post("/{absence_id:int}/decision")
def decide_absence(
    request: Request, principal: Manager, absence_id: ItemId, form: Submitted
) -> Response:
    decisions = {"approve": AbsenceStatus.APPROVED, "deny": AbsenceStatus.DENIED}
    decision = decisions.get(form.get("decision", ""))
    if decision is None:
        raise Invalid("the decision is approve or deny", details={"field": "decision"})
    return _set_status(request, principal, absence_id, decision)


@router.post("/{absence_id:int}/withdraw")
def withdraw_absence(request: Request, principal: Requester, absence_id: ItemId) -> Response:
    return _set_status(request, principal, absence_id, AbsenceStatus.CANCELLED)


@router.post("/{absence_id:int}/delete")
def delete_absence(request: Request, principal: Requester, absence_id: ItemId) -> Response:
    factory = request.app.state.session_factory
    current = get_visible_absence(factory=factory, principal=principal, absence_id=absence_id)
    check_absence_change(
        principal, person_id=current.person_id, old_status=current.status, new_status=None
    )
    absences.delete_absence(
        factory=factory, absence_id=absence_id, actor=request_actor(request, principal)
    )
    return RedirectResponse(f"{PAGE}?notice=deleted", status_code=303)


def _field_errors(exc: DomainError) -> dict[str, str]:
    return {str(exc.details.get("field", "start")): sentence(exc.message)}
