"""The page routes: thin adapters from a request to a read service and a template."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session, sessionmaker

from resched.core.colours import normalise_hex, text_colour_for
from resched.core.errors import NotFound
from resched.core.model import BlockSchemeKind, Rotation, ScheduleStatus
from resched.core.solver.settings import effective_weights
from resched.http.auth import require
from resched.http.database import request_factory
from resched.http.params import ItemId, url_number
from resched.services.overview import ProgramOverview, get_program_overview
from resched.services.pages import (
    YearChoice,
    load_person,
    load_plan,
    load_rotations,
    resolve_year,
)
from resched.services.pages.today import has_published_schedule
from resched.services.permissions import Permission, Principal
from resched.services.setup import needs_setup
from resched.web.export_menu import plan_exports
from resched.web.people_pages import NOTICES as PERSON_NOTICES
from resched.web.program_settings import settings_context
from resched.web.templating import templates

router = APIRouter(include_in_schema=False)


def _sessions(request: Request) -> sessionmaker[Session]:
    factory: sessionmaker[Session] = request_factory(request)
    return factory


def _by_code(rotations: tuple[Rotation, ...]) -> dict[str, Rotation]:
    return {rotation.code: rotation for rotation in rotations}


def _parse_level(value: str | None) -> int | None:
    """The PGY filter of a plain GET form: "" (all levels) or a level; anything else is
    ignored rather than answered with a JSON validation error."""
    return url_number(value)


def _is_partial(request: Request) -> bool:
    """An htmx swap wants the fragment; a history restore (back button) wants the page."""
    headers = request.headers
    return headers.get("hx-request") == "true" and headers.get("hx-history-restore-request") is None


@router.get("/")
def home(
    request: Request, principal: Annotated[Principal, require(Permission.PROGRAM_READ)]
) -> RedirectResponse:
    """Today is the start page once a schedule is published; before that the program
    overview. On the first start (no program or no academic year) an administrator is sent
    to set the program up."""
    factory = _sessions(request)
    if principal.can(Permission.SETTINGS_MANAGE) and needs_setup(factory=factory):
        return RedirectResponse("/setup", status_code=307)
    if has_published_schedule(factory=factory):
        return RedirectResponse("/today", status_code=307)
    return RedirectResponse("/program", status_code=307)


SCHEME_LABELS = {
    BlockSchemeKind.FOUR_WEEK: "four-week blocks",
    BlockSchemeKind.MONTHLY: "calendar months",
    BlockSchemeKind.CUSTOM: "custom blocks",
}


@router.get(
    "/program", response_class=HTMLResponse, dependencies=[require(Permission.PROGRAM_READ)]
)
def program_page(
    request: Request, year: Annotated[str | None, Query(max_length=40)] = None
) -> Response:
    factory = _sessions(request)
    try:
        choice = resolve_year(factory=factory, year_label=year or None)
    except NotFound as exc:
        raise HTTPException(404, detail=exc.message) from exc
    overview = None
    if choice.year is not None and choice.year.id is not None:
        overview = get_program_overview(factory=factory, academic_year_id=choice.year.id)
    context = _program_context(choice, overview) | settings_context(request)
    return templates.TemplateResponse(request, "program/page.html", context)


def _program_context(choice: YearChoice, overview: ProgramOverview | None) -> dict[str, Any]:
    residents = 0
    rotation_names: dict[str, str] = {}
    if overview is not None:
        residents = sum(len(group.residents) for group in overview.residents_by_pgy)
        residents += len(overview.residents_without_pgy)
        rotation_names = {rotation.code: rotation.name for rotation in overview.rotations}
    program = overview.program if overview is not None else None
    return {
        "choice": choice,
        "overview": overview,
        "resident_count": residents,
        "rotation_names": rotation_names,
        "scheme_label": SCHEME_LABELS.get(choice.year.scheme, "") if choice.year else "",
        "program_name": choice.program_name,
        "section": "program",
        "generation_weights": effective_weights(program.generation) if program else None,
    }


PLAN_NOTICES = {
    "cell": "The cell was saved.",
    "unchanged": "The cell was already so: nothing changed.",
}


@router.get("/plan", response_class=HTMLResponse)
def plan_page(
    request: Request,
    principal: Annotated[Principal, require(Permission.SCHEDULE_READ)],
    year: Annotated[str | None, Query(max_length=40)] = None,
    pgy: Annotated[str | None, Query(max_length=3)] = None,
    notice: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    try:
        plan = load_plan(
            factory=_sessions(request),
            year_label=year or None,
            pgy=_parse_level(pgy),
            include_drafts=principal.can(Permission.SCHEDULE_DRAFTS),
        )
    except NotFound as exc:
        raise HTTPException(404, detail=exc.message) from exc
    partial = _is_partial(request)
    context = {
        "plan": plan,
        "rotations": _by_code(plan.rotations),
        "program_name": plan.program_name,
        "section": "plan",
        # Only a plan that exists can be changed, and only by those who write schedules.
        "can_edit": principal.can(Permission.SCHEDULE_WRITE) and plan.version is not None,
        "notice": PLAN_NOTICES.get(notice),
        # The data files are the coordinators' (as on the schedule views).
        "exports": plan_exports(
            year_id=plan.year.id if plan.year else None,
            version_id=plan.version.id if plan.version else None,
            draft=bool(plan.version and plan.version.status != ScheduleStatus.PUBLISHED),
        )
        if principal.can(Permission.SCHEDULE_WRITE)
        else (),
    }
    response = templates.TemplateResponse(
        request, "plan/_grid.html" if partial else "plan/page.html", context
    )
    # The same URL answers with a fragment or a page: caches must keep them apart.
    response.headers["Vary"] = "HX-Request"
    return response


@router.get("/people/{person_id:int}", response_class=HTMLResponse)
def person_page(
    request: Request,
    person_id: ItemId,
    principal: Annotated[Principal, require(Permission.PEOPLE_READ)],
    notice: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    try:
        view = load_person(
            factory=_sessions(request),
            person_id=person_id,
            include_drafts=principal.can(Permission.SCHEDULE_DRAFTS),
        )
    except NotFound as exc:
        raise HTTPException(404, detail=exc.message) from exc
    context = {
        "view": view,
        "rotations": _by_code(view.rotations),
        "program_name": view.program_name,
        "section": "program",
        # Absences carry health and family reasons: the person and coordinators see them.
        "show_absences": principal.can(Permission.ABSENCES_MANAGE)
        or principal.person_id == person_id,
        "can_edit": principal.can(Permission.PEOPLE_WRITE),
        # Their schedule page carries absences and requests: the same readers.
        "can_see_schedule": principal.can(Permission.ABSENCES_MANAGE)
        or principal.person_id == person_id,
        "notice": PERSON_NOTICES.get(notice),
    }
    return templates.TemplateResponse(request, "people/page.html", context)


@router.get("/rotations.css", dependencies=[require(Permission.PROGRAM_READ)])
def rotation_styles(request: Request) -> Response:
    """Rotation colours as classes (``.rot-<id>``): a stylesheet, so pages need no inline
    style attributes under a strict CSP."""
    rotations = load_rotations(factory=_sessions(request))
    return Response(
        rotation_css(rotations),
        media_type="text/css",
        headers={"Cache-Control": "no-cache"},
    )


def rotation_css(rotations: tuple[Rotation, ...]) -> str:
    rules = []
    for rotation in rotations:
        background = normalise_hex(rotation.colour)
        rules.append(
            f".rot-{rotation.id} {{ background-color: {background}; "
            f"color: {text_colour_for(background)}; }}"
        )
    return "\n".join(rules) + "\n"
