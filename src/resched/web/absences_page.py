"""/absences: whole days away. Coordinators see everyone's (filtered by status or person),
approve or deny requests (through the leave decision: resched.web.absence_decisions), add,
edit and delete any absence; residents and faculty see only
their own, request one and withdraw or change it while it is undecided
(services.permissions.check_absence_change). The same services and audit as
``/api/v1/absences``; someone else's absence is a 404 to those who may not see it. The
actions on one absence of the list (decide, withdraw, delete): resched.web.absence_actions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from resched.core.errors import DomainError, Forbidden
from resched.core.model import Absence, AbsenceStatus, AbsenceType
from resched.http.auth import request_actor, require
from resched.http.database import request_factory
from resched.http.params import ItemId, Offset
from resched.services import absences
from resched.services.absence_privacy import get_visible_absence, visible_absences
from resched.services.common import MAX_PAGE_SIZE
from resched.services.permissions import (
    Permission,
    Principal,
    absence_visibility,
    check_absence_change,
    readable_person_id,
)
from resched.services.versions import Edited, StaleEdit, version_of
from resched.web.absence_decisions import Refusal
from resched.web.absence_forms import (
    FIELD_IDS,
    STATUSES,
    TYPES,
    absence_from,
    field_errors,
    people_by_id,
    person_options,
    values_of,
)
from resched.web.formtools import Submitted, refusal_status
from resched.web.stale_edits import FIELD, pop_version, stale_context
from resched.web.templating import templates

router = APIRouter(include_in_schema=False, prefix="/absences")
Requester = Annotated[Principal, require(Permission.REQUESTS_OWN)]
Manager = Annotated[Principal, require(Permission.ABSENCES_MANAGE)]
Filter = Annotated[str, Query(max_length=20)]
PAGE = "/absences"
NOTICES = {
    "requested": "Your request was sent: a coordinator decides it.",
    "created": "The absence was added.",
    "saved": "The absence was saved.",
    "approved": "The absence was approved.",
    "denied": "The absence was denied.",
    "cancelled": "The request was withdrawn.",
    "deleted": "The absence was deleted.",
}


def render_page(
    request: Request,
    principal: Principal,
    *,
    status_filter: str = "",
    person: str = "",
    offset: int = 0,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    notice: str | None = None,
    refusals: dict[int, Refusal] | None = None,
    status: int = 200,
) -> Response:
    manager = principal.can(Permission.ABSENCES_MANAGE)
    chosen = next((AbsenceStatus(v) for v, _ in STATUSES if v == status_filter), None)
    wanted = int(person) if manager and person.isdigit() and len(person) < 10 else None
    listed = None
    if manager or principal.person_id is not None:
        listed = absences.list_absences(
            factory=request_factory(request),
            limit=MAX_PAGE_SIZE,
            offset=offset,
            person_id=readable_person_id(principal, wanted),
            status=chosen,
        )
    shown = visible_absences(listed.items, absence_visibility(principal)) if listed else []
    names = people_by_id(request_factory(request), principal)
    context: dict[str, Any] = {
        "absences": shown,
        "total": listed.total if listed else 0,
        "next_offset": offset + MAX_PAGE_SIZE
        if listed and offset + MAX_PAGE_SIZE < listed.total
        else None,
        "names": names,
        "people_options": person_options(names),
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
        "refusals": refusals or {},
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
    return render_page(
        request,
        principal,
        status_filter=status,
        person=person,
        offset=offset,
        notice=NOTICES.get(notice),
    )


def _save(
    request: Request,
    principal: Principal,
    form: dict[str, str],
    absence_id: int | None,
    version: int | None = None,
) -> None:
    """Add the absence as typed (``absence_id`` None) or replace that one with it (StaleEdit
    when ``version``, the one the form was drawn at, is no longer the stored one)."""
    absence = absence_from(form, principal)
    check_absence_change(principal, person_id=absence.person_id, new_status=absence.status)
    factory = request_factory(request)
    actor = request_actor(request, principal)
    if absence_id is None:
        absences.create_absence(factory=factory, absence=absence, actor=actor)
    else:
        absences.update_absence(
            factory=factory,
            absence_id=absence_id,
            absence=absence,
            actor=actor,
            expected_version=version,
        )


@router.post("")
def create_absence(request: Request, principal: Requester, form: Submitted) -> Response:
    try:
        _save(request, principal, form, None)
    except Forbidden:
        raise  # not the form's fault: the error page says who may do what
    except DomainError as exc:
        errors = field_errors(exc)
        return render_page(request, principal, form=form, errors=errors, status=refusal_status(exc))
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
    extra: dict[str, Any] | None = None,
) -> Response:
    """``extra``: the ``row_version`` the form is drawn at, or a refused save's notice."""
    names = people_by_id(request_factory(request), principal)
    context: dict[str, Any] = (extra or {}) | {
        "absence": absence,
        "names": names,
        "people_options": person_options(names, keep=absence.person_id),
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


def _editable(request: Request, principal: Principal, absence_id: int) -> Absence:
    """The absence, if the principal may see and change it (a member: their own request)."""
    current = get_visible_absence(
        factory=request_factory(request), principal=principal, absence_id=absence_id
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
    factory = request_factory(request)
    version = version_of(factory=factory, kind=Edited.ABSENCE, item_id=absence_id)
    current = _editable(request, principal, absence_id)
    return _edit_page(request, principal, current, form=values_of(current), extra={FIELD: version})


@router.post("/{absence_id:int}")
def update_absence(
    request: Request, principal: Requester, absence_id: ItemId, form: Submitted
) -> Response:
    current = _editable(request, principal, absence_id)
    version = pop_version(form)
    try:
        _save(request, principal, form, absence_id, version)
    except Forbidden:
        raise
    except StaleEdit as exc:
        now = _editable(request, principal, absence_id)
        extra = stale_context(exc, values_of(now))
        return _edit_page(request, principal, now, form=form, status=409, extra=extra)
    except DomainError as exc:
        errors = field_errors(exc)
        return _edit_page(
            request,
            principal,
            current,
            form=form,
            errors=errors,
            status=refusal_status(exc),
            extra={FIELD: version},
        )
    return RedirectResponse(f"{PAGE}?notice=saved", status_code=303)
