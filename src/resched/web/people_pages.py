"""/people: the program's people with filters (role, PGY in a year, active), and for
coordinators the forms to add and edit a person (code, name, email, role, credentials, a PGY
level per academic year), deactivate and delete one. The same services and audit as
``/api/v1/people``; a refusal shows at the field it names and writes nothing."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response

from resched.core.errors import DomainError, Invalid, NotFound
from resched.core.model import AcademicYear, Role
from resched.db.records import PersonProfile
from resched.http.auth import request_actor, require
from resched.http.database import request_factory
from resched.http.params import ItemId, Offset
from resched.services import academic_years, people
from resched.services.common import MAX_PAGE_SIZE, MAX_PGY
from resched.services.pages import resolve_year
from resched.services.permissions import Permission, Principal
from resched.services.versions import Edited, StaleEdit, version_of
from resched.web.formtools import Submitted, refusal_status, sentence
from resched.web.stale_edits import FIELD, pop_version, stale_context
from resched.web.templating import templates

router = APIRouter(include_in_schema=False, prefix="/people")
Reader = Annotated[Principal, require(Permission.PEOPLE_READ)]
Writer = Annotated[Principal, require(Permission.PEOPLE_WRITE)]
Filter = Annotated[str, Query(max_length=40)]
ROLES = [(Role.RESIDENT.value, "Resident"), (Role.FACULTY.value, "Faculty")]
LEVELS = [("", "No PGY level this year")] + [(str(n), f"PGY-{n}") for n in range(1, MAX_PGY + 1)]
ACTIVE = {"": None, "active": True, "inactive": False}
NOTICES = {
    "created": "The person was added.",
    "saved": "The changes were saved.",
    "deactivated": "The person was deactivated: they keep their record and history.",
    "activated": "The person is active again.",
    "deleted": "The person was deleted.",
}
# The service's field -> the form's control (a PGY error names its year: ``pgy_<id>``).
FIELD_IDS = {"code": "person-code", "name": "person-name", "email": "person-email"}
FIELD_IDS |= {"phone": "person-phone", "pager": "person-pager"}
FIELD_IDS |= {"role": "person-role", "credentials": "person-credentials"}


@dataclass(frozen=True, slots=True)
class ListFilters:
    role: Role | None
    year: AcademicYear | None
    pgy: int | None
    active: bool | None
    text: dict[str, str]  # as the filter form shows them
    year_labels: tuple[str, ...]
    program_name: str


def _filters(request: Request, role: str, year: str, pgy: str, active: str) -> ListFilters:
    """The list's filters as typed; a value that names nothing is ignored (a plain GET form
    should not answer a stale bookmark with an error)."""
    try:
        choice = resolve_year(factory=request_factory(request), year_label=year or None)
    except NotFound as exc:
        raise HTTPException(404, detail=exc.message) from exc
    chosen_role = next((Role(v) for v, _ in ROLES if v == role), None)
    level = int(pgy) if pgy.isdigit() and 1 <= int(pgy) <= MAX_PGY else None
    level = level if choice.year is not None else None
    text = {"role": role if chosen_role else "", "pgy": str(level or ""), "active": active}
    text["year"] = choice.year.label if choice.year else ""
    return ListFilters(
        chosen_role,
        choice.year,
        level,
        ACTIVE.get(active),
        text,
        choice.labels,
        choice.program_name,
    )


@router.get("")
def people_page(
    request: Request,
    principal: Reader,
    role: Filter = "",
    year: Filter = "",
    pgy: Filter = "",
    active: Filter = "active",
    offset: Offset = 0,
    notice: Filter = "",
) -> Response:
    factory = request_factory(request)
    chosen = _filters(request, role, year, pgy, active)
    year_id = chosen.year.id if chosen.year else None
    found = people.list_people(
        factory=factory,
        limit=MAX_PAGE_SIZE,
        offset=offset,
        role=chosen.role,
        active=chosen.active,
        academic_year_id=year_id if chosen.pgy else None,
        pgy=chosen.pgy,
    )
    context = {
        "found": found,
        "filters": chosen.text,
        "year_id": year_id,
        "year_labels": chosen.year_labels,
        "roles": ROLES,
        "levels": LEVELS[1:],
        "can_write": principal.can(Permission.PEOPLE_WRITE),
        "notice": NOTICES.get(notice),
        "next_offset": offset + MAX_PAGE_SIZE if offset + MAX_PAGE_SIZE < found.total else None,
        "section": "people",
        "program_name": chosen.program_name,
    }
    return templates.TemplateResponse(request, "people/list.html", context)


def _form_page(
    request: Request,
    *,
    person: PersonProfile | None,
    form: dict[str, str],
    errors: dict[str, str] | None = None,
    problem: str | None = None,
    status: int = 200,
    extra: dict[str, Any] | None = None,
) -> Response:
    """``extra``: the ``row_version`` the form is drawn at, or a refused save's notice."""
    years = academic_years.list_academic_years(factory=request_factory(request))
    context: dict[str, Any] = (extra or {}) | {
        "person": person,
        "form": form,
        "errors": errors or {},
        "problem": problem,
        "years": years,
        "roles": ROLES,
        "levels": LEVELS,
        "field_ids": FIELD_IDS | {f"pgy_{y.id}": f"person-pgy-{y.id}" for y in years},
        "section": "people",
        "program_name": None,
    }
    return templates.TemplateResponse(request, "people/form.html", context, status_code=status)


def _values_of(person: PersonProfile) -> dict[str, str]:
    values = {
        "code": person.code,
        "name": person.name,
        "email": person.email or "",
        "phone": person.phone or "",
        "pager": person.pager or "",
        "role": person.role.value,
        "credentials": ", ".join(sorted(person.credentials)),
        "active": "on" if person.active else "",
    }
    return values | {f"pgy_{year}": str(pgy) for year, pgy in person.pgy_by_year.items()}


@router.get("/new")
def new_person_page(request: Request, _: Writer) -> Response:
    return _form_page(request, person=None, form={"role": Role.RESIDENT.value, "active": "on"})


@router.post("")
def create_person(request: Request, principal: Writer, form: Submitted) -> Response:
    try:
        created = people.create_person(
            factory=request_factory(request),
            profile=_profile_from(form, _year_ids(request)),
            actor=request_actor(request, principal),
        )
    except DomainError as exc:
        errors = _field_errors(exc)
        return _form_page(
            request, person=None, form=form, errors=errors, status=refusal_status(exc)
        )
    return RedirectResponse(f"/people/{created.id}?notice=created", status_code=303)


@router.get("/{person_id:int}/edit")
def edit_person_page(request: Request, _: Writer, person_id: ItemId) -> Response:
    factory = request_factory(request)
    version = version_of(factory=factory, kind=Edited.PERSON, item_id=person_id)
    person = people.get_person(factory=factory, person_id=person_id)
    return _form_page(request, person=person, form=_values_of(person), extra={FIELD: version})


@router.post("/{person_id:int}")
def update_person(
    request: Request, principal: Writer, person_id: ItemId, form: Submitted
) -> Response:
    factory = request_factory(request)
    person = people.get_person(factory=factory, person_id=person_id)
    version = pop_version(form)
    try:
        people.update_person(
            factory=factory,
            person_id=person_id,
            profile=_profile_from(form | {"code": person.code}, _year_ids(request)),
            actor=request_actor(request, principal),
            expected_version=version,
        )
    except StaleEdit as exc:
        current = people.get_person(factory=factory, person_id=person_id)
        extra = stale_context(exc, _values_of(current))
        return _form_page(request, person=current, form=form, status=409, extra=extra)
    except DomainError as exc:
        errors = _field_errors(exc)
        return _form_page(
            request,
            person=person,
            form=form,
            errors=errors,
            status=refusal_status(exc),
            extra={FIELD: version},
        )
    return RedirectResponse(f"/people/{person_id}?notice=saved", status_code=303)


@router.post("/{person_id:int}/active")
def set_active(request: Request, principal: Writer, person_id: ItemId, form: Submitted) -> Response:
    """Deactivate (or activate again) a person; from the list by htmx, the row comes back."""
    factory = request_factory(request)
    # Read the version first: a save landing between these reads and the write below is
    # refused (409), never overwritten with the person as read here.
    version = version_of(factory=factory, kind=Edited.PERSON, item_id=person_id)
    person = people.get_person(factory=factory, person_id=person_id)
    wanted = form.get("active") == "true"
    updated = people.update_person(
        factory=factory,
        person_id=person_id,
        profile=replace(person, active=wanted),
        actor=request_actor(request, principal),
        expected_version=version,
    )
    if request.headers.get("hx-request") == "true":
        year = form.get("year_id", "")
        context = {"person": updated, "year_id": int(year) if year.isdigit() else None}
        context |= {"can_write": True}
        return templates.TemplateResponse(request, "people/_row.html", context)
    notice = "activated" if wanted else "deactivated"
    return RedirectResponse(f"/people/{person_id}?notice={notice}", status_code=303)


@router.post("/{person_id:int}/delete")
def delete_person(
    request: Request, principal: Writer, person_id: ItemId, form: Submitted
) -> Response:
    factory = request_factory(request)
    person = people.get_person(factory=factory, person_id=person_id)
    try:
        people.delete_person(
            factory=factory,
            person_id=person_id,
            actor=request_actor(request, principal),
            expected_version=pop_version(form),
        )
    except DomainError as exc:
        return _form_page(
            request,
            person=person,
            form=_values_of(person),
            problem=sentence(exc.message),
            status=refusal_status(exc),
        )
    return RedirectResponse("/people?notice=deleted", status_code=303)


def _year_ids(request: Request) -> list[int]:
    years = academic_years.list_academic_years(factory=request_factory(request))
    return [y.id for y in years if y.id is not None]


def _profile_from(form: dict[str, str], year_ids: list[int]) -> PersonProfile:
    """The person as typed. Only the text is read here: the service checks every value."""
    role = form.get("role", "")
    if role not in {r.value for r in Role}:
        raise Invalid("choose resident or faculty", details={"field": "role"})
    levels = {}
    for year_id in year_ids:
        text = form.get(f"pgy_{year_id}", "").strip().upper().removeprefix("PGY-")
        if text and not (text.isascii() and text.isdigit() and len(text) <= 3):
            raise Invalid(
                "choose a PGY level", details={"field": "pgy_by_year", "academic_year_id": year_id}
            )
        if text:
            levels[year_id] = int(text)
    credentials = (c.strip() for c in form.get("credentials", "").replace(";", ",").split(","))
    email = form.get("email", "").strip()
    phone = form.get("phone", "").strip()
    pager = form.get("pager", "").strip()
    return PersonProfile(
        code=form.get("code", "").strip(),
        name=form.get("name", "").strip(),
        role=Role(role),
        email=email or None,
        phone=phone or None,
        pager=pager or None,
        credentials=frozenset(c for c in credentials if c),
        active=form.get("active") == "on",
        pgy_by_year=levels,
    )


def _field_errors(exc: DomainError) -> dict[str, str]:
    field = str(exc.details.get("field", "code"))
    if field == "pgy_by_year":
        year = exc.details.get("academic_year_id") or next(iter(exc.details.get("unknown", [])), 0)
        field = f"pgy_{year}"
    return {field: sentence(exc.message)}
