"""The Generate page: "make me a schedule" (UI.md), for coordinators.

A form submits a generation job (a worker solves it; this process never does) and redirects
to the run's page, whose progress part htmx re-fetches every second until the job is over
(then the response redirects to the draft's review). Each rendering of the form carries a
fresh token, so a form submitted twice (a double click, a resent POST) starts one job. Without
JavaScript the run page still works: reload it. The review shows the
version: a summary first (the search's quality in words, requests honoured, fairness spread),
the Publish form (a reason is required for violations; a large gap or unmet requests ask for a
confirmation), the findings and penalties, the block-plan grid and a month calendar, and last
its diff against what is published, a page of changes at a time (none for the published
version itself). The Versions page lists every version with who made and published it, when
and why.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from resched.core.errors import DomainError
from resched.core.model import ScheduleStatus
from resched.core.solver.shifts import Mode
from resched.http.auth import request_actor, require
from resched.http.database import request_factory
from resched.http.jobs import job_queue
from resched.http.params import ItemId, Offset
from resched.services import generation, schedules
from resched.services.generation import GenerationKind, GenerationSpec, spec_json
from resched.services.jobs import JobQueue, generations
from resched.services.pages import resolve_year
from resched.services.permissions import Permission, Principal, job_owner_filter
from resched.web.generate_forms import FormProblem, parse_form
from resched.web.templating import templates

router = APIRouter(include_in_schema=False, prefix="/generate")
Coordinator = Annotated[Principal, require(Permission.SCHEDULE_WRITE)]
QueueDep = Annotated[JobQueue, Depends(job_queue)]
Field = Annotated[str, Form()]
RunId = ItemId
TOKEN_LENGTH = 64  # the form token's most characters; longer ones are ignored
RECENT_DRAFTS = 10
CHANGES_PER_PAGE = 100  # changes of the diff per page (shifts and blocks alike)
VERSIONS_PER_PAGE = 50
KIND_OPTIONS = [
    (GenerationKind.SHIFTS.value, "Shifts for a block or a date range"),
    (GenerationKind.PLAN.value, "Rotation plan for the academic year"),
    (GenerationKind.YEAR.value, "Shifts for the whole year, block after block"),
]
MODE_OPTIONS = [
    (Mode.FRESH.value, "Fresh: a new schedule"),
    (Mode.REPAIR.value, "Repair: keep the published schedule, change as little as possible"),
    (Mode.WARM.value, "Warm start: a new schedule, searched from the published one"),
]
DEFAULT_FORM = {"kind": "shifts", "time_limit": "30", "mode": "fresh", "seed": "0"}


@router.get("", response_class=HTMLResponse)
def generate_page(request: Request, _: Coordinator) -> Response:
    return _form_page(request, DEFAULT_FORM, {})


class GenerateForm(BaseModel):
    """The Generate form's fields as typed (all text: parse_form checks them)."""

    kind: str = "shifts"
    year: str = ""
    block: str = ""
    start: str = ""
    end: str = ""
    time_limit: str = "30"
    work_limit: str = ""
    mode: str = "fresh"
    seed: str = "0"
    form_token: str = ""


@router.post("")
def start_generation(
    request: Request,
    coordinator: Coordinator,
    queue: QueueDep,
    fields: Annotated[GenerateForm, Form()],
) -> Response:
    form = fields.model_dump(exclude={"form_token"})
    form_token = fields.form_token
    try:
        spec = parse_form(request_factory(request), form)
    except FormProblem as problem:
        if form_token:  # not used up: the corrected form may start its job
            form["form_token"] = form_token
        return _form_page(request, form, problem.errors, status=422)
    run = generations.start_generation(
        factory=request_factory(request),
        queue=queue,
        spec=spec,
        actor=request_actor(request, coordinator),
        requested_by=coordinator.user_id,
        idempotency_key=_submission_key(form_token, spec),
    )
    return RedirectResponse(f"/generate/runs/{run.id}", status_code=303)


def _submission_key(token: str, spec: GenerationSpec) -> str | None:
    """The form's token with the parameters' digest: the same form sent twice is one job, but
    a form changed after going back in the browser (same token) starts its own."""
    if not token or len(token) > TOKEN_LENGTH:
        return None
    digest = hashlib.sha256(json.dumps(spec_json(spec), sort_keys=True).encode()).hexdigest()
    return f"{token}/{digest[:16]}"


def _form_page(
    request: Request, form: dict[str, str], errors: dict[str, str], status: int = 200
) -> Response:
    factory = request_factory(request)
    choice = resolve_year(factory=factory)
    drafts = schedules.list_schedules(
        factory=factory, limit=RECENT_DRAFTS, status=ScheduleStatus.DRAFT
    )
    published = schedules.list_schedules(
        factory=factory, limit=RECENT_DRAFTS, status=ScheduleStatus.PUBLISHED
    )
    context = {
        "form": {
            "year": choice.year.label if choice.year else "",
            "form_token": secrets.token_urlsafe(16),
            **form,
        },
        "errors": errors,
        "years": [(label, label) for label in choice.labels],
        "kinds": KIND_OPTIONS,
        "modes": MODE_OPTIONS,
        "drafts": drafts.items,
        "published": published.items,
        "program_name": choice.program_name,
        "section": "generate",
    }
    return templates.TemplateResponse(request, "generate/page.html", context, status_code=status)


def _run(request: Request, coordinator: Principal, run_id: int) -> generations.GenerationRun:
    return generations.get_generation_run(
        factory=request_factory(request), run_id=run_id, owner=job_owner_filter(coordinator)
    )


@router.get("/versions", response_class=HTMLResponse)
def versions_page(
    request: Request,
    reader: Annotated[Principal, require(Permission.SCHEDULE_READ)],
    offset: Offset = 0,
) -> Response:
    """Every version, newest first, with who generated and published it, when and why.
    Readers without the drafts permission (residents, faculty) see published and archived
    versions only, linked to the plan; coordinators see drafts too, linked to their review."""
    drafts = reader.can(Permission.SCHEDULE_DRAFTS)
    page = generation.list_version_history(
        factory=request_factory(request),
        limit=VERSIONS_PER_PAGE,
        offset=offset,
        include_drafts=drafts,
    )
    context = {
        "page": page,
        "reviews": reader.can(Permission.SCHEDULE_WRITE),
        "section": "generate" if reader.can(Permission.SCHEDULE_WRITE) else "plan",
        "program_name": None,
    }
    return templates.TemplateResponse(request, "generate/versions.html", context)


@router.get("/runs/{run_id}", response_class=HTMLResponse)
def run_page(request: Request, coordinator: Coordinator, run_id: RunId) -> Response:
    run = _run(request, coordinator, run_id)
    context = {"run": run, "section": "generate", "program_name": None}
    return templates.TemplateResponse(request, "generate/run.html", context)


@router.get("/runs/{run_id}/progress", response_class=HTMLResponse)
def run_progress(request: Request, coordinator: Coordinator, run_id: RunId) -> Response:
    """The progress part alone (htmx polls it); once a draft is stored, htmx is sent on to
    the draft's review."""
    run = _run(request, coordinator, run_id)
    response = templates.TemplateResponse(request, "generate/_progress.html", {"run": run})
    if run.outcome is not None and run.outcome.version_id is not None:
        response.headers["HX-Redirect"] = f"/generate/drafts/{run.outcome.version_id}"
    return response


@router.post("/runs/{run_id}/cancel")
def cancel_run(request: Request, coordinator: Coordinator, run_id: RunId) -> RedirectResponse:
    generations.cancel_generation(
        factory=request_factory(request),
        run_id=run_id,
        actor=request_actor(request, coordinator),
        owner=job_owner_filter(coordinator),
    )
    return RedirectResponse(f"/generate/runs/{run_id}", status_code=303)


@router.get("/drafts/{version_id:int}", response_class=HTMLResponse)
def draft_page(
    request: Request,
    _: Coordinator,
    version_id: ItemId,
    month: Annotated[str | None, Query(max_length=10)] = None,
    notice: Annotated[str | None, Query(max_length=20)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    return _review(request, version_id, month=_month(month), notice=notice, page=page)


@router.post("/drafts/{version_id:int}/publish")
def publish_draft(
    request: Request,
    coordinator: Coordinator,
    version_id: ItemId,
    reason: Field = "",
    confirm: Field = "",
) -> Response:
    summary = generation.get_summary(factory=request_factory(request), version_id=version_id)
    draft = schedules.get_schedule(factory=request_factory(request), version_id=version_id)
    # Only a draft asks: publishing anything else is refused below with the reason why.
    if draft.status is ScheduleStatus.DRAFT and summary.needs_confirmation and confirm != "yes":
        return _review(
            request,
            version_id,
            reason=reason,
            problem="Tick the confirmation box to publish this draft anyway.",
            confirm_error=True,
            status=422,
        )
    try:
        generation.publish_version(
            factory=request_factory(request),
            version_id=version_id,
            actor=request_actor(request, coordinator),
            reason=reason,
        )
    except DomainError as exc:
        if exc.code == "not_found":
            raise
        return _review(request, version_id, reason=reason, problem=exc.message, status=422)
    return RedirectResponse(f"/generate/drafts/{version_id}?notice=published", status_code=303)


def _review(
    request: Request,
    version_id: int,
    *,
    month: dt.date | None = None,
    notice: str | None = None,
    reason: str = "",
    problem: str | None = None,
    confirm_error: bool = False,
    page: int = 1,
    status: int = 200,
) -> Response:
    review = generation.load_review(
        factory=request_factory(request), version_id=version_id, month=month
    )
    changes: list[Any] = []
    if review.diff is not None:
        changes = [*review.diff.shifts, *review.diff.blocks]
    pages = max(1, -(-len(changes) // CHANGES_PER_PAGE))
    page = min(page, pages)
    shown = changes[(page - 1) * CHANGES_PER_PAGE : page * CHANGES_PER_PAGE]
    context = {
        "review": review,
        "summary": review.summary,
        "confirm_gap": generation.CONFIRM_GAP,
        "confirm_error": confirm_error,
        "plan": review.plan,
        "rotations": {r.code: r for r in review.plan.rotations},
        "names": review.names,
        "shift_changes": [c for c in shown if isinstance(c, generation.ShiftChange)],
        "block_changes": [c for c in shown if isinstance(c, generation.BlockChange)],
        "change_total": len(changes),
        "change_page": page,
        "change_pages": pages,
        "change_first": (page - 1) * CHANGES_PER_PAGE + 1,
        "notice": "The draft is published." if notice == "published" else None,
        "reason": reason,
        "problem": problem,
        "program_name": review.program_name,
        "section": "generate",
    }
    return templates.TemplateResponse(request, "generate/draft.html", context, status_code=status)


def _month(value: str | None) -> dt.date | None:
    """``YYYY-MM`` from the calendar's links; anything else shows the default month."""
    if not value or len(value) != 7:
        return None
    try:
        return dt.date.fromisoformat(f"{value}-01")
    except ValueError:
        return None
