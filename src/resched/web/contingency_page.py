"""The Contingency page: "if Dr X is out, can we still cover? which two absences would break
us?" (issue 15) for one stored schedule - run the analysis (a background job, its progress
polled like the Jobs page's rows), then read the latest report: the margin heatmap, the single
points of failure, the fatal pairs, the pools' utilization and suggested backups.

Coordinators' page: reading takes ``schedule:drafts`` (as the API), running ``schedule:write``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from resched.core.errors import DomainError, Invalid, NotFound
from resched.db.repositories.jobs import Job
from resched.db.repositories.schedule import ScheduleVersion
from resched.http.auth import request_actor, require
from resched.http.database import request_factory
from resched.http.jobs import job_queue
from resched.http.params import MAX_ID, ItemId, url_number
from resched.services import contingency, jobs, schedules
from resched.services.contingency.backups import add_backup
from resched.services.jobs import JobQueue
from resched.services.jobs.kinds import JobKind
from resched.services.permissions import Permission, Principal
from resched.web.contingency_backups import BackupForm, added_change, backup_context, today_of
from resched.web.formtools import refusal_status, sentence
from resched.web.jobs import STATUS_MARKS
from resched.web.templating import templates

router = APIRouter(include_in_schema=False)
Reader = Annotated[Principal, require(Permission.SCHEDULE_DRAFTS)]
Runner = Annotated[Principal, require(Permission.SCHEDULE_WRITE)]
QueueDep = Annotated[JobQueue, Depends(job_queue)]
Text = Annotated[str | None, Query(max_length=40)]

# How each margin reads besides its colour (UI.md: colour is never the only carrier).
MARGIN_MARKS = {
    "short": ("✗", "under the minimum already (assigned/minimum)"),
    "zero": ("!", "nobody can be lost"),
    "thin": ("▲", "one can be lost"),
    "ok": ("", "two or more can be lost"),
}
SEVERITY_WORDS = {
    "critical": "Critical: coverage cannot be restored",
    "high": "High: restored only by a large repair",
    "low": "Low: a small repair restores it",
    "none": "None: nothing orphaned",
}


class RunForm(BaseModel):
    version_id: int
    start: str = ""
    end: str = ""


def margin_class(cell: dict[str, int]) -> str:
    """The heatmap class of one margin cell."""
    if cell["slack"] < 0:
        return "short"
    if cell["margin"] <= 0:
        return "zero"
    return "thin" if cell["margin"] == 1 else "ok"


@router.get("/contingency", response_class=HTMLResponse)
def contingency_page(
    request: Request,
    principal: Reader,
    version: Text = None,
    job: Text = None,
    added: Text = None,
) -> Response:
    context = page_context(request, principal, _version(request_factory(request), version))
    context |= {"job": _job(request_factory(request), job)}
    context |= {"added": added_change(request_factory(request), added)}
    return templates.TemplateResponse(request, "contingency/page.html", context)


def page_context(
    request: Request, principal: Principal, chosen: ScheduleVersion | None
) -> dict[str, Any]:
    """What the page shows of ``chosen`` (its latest report) for ``principal``."""
    factory = request_factory(request)
    stored = None
    if chosen is not None:
        try:
            stored = contingency.latest_analysis(factory=factory, version_id=chosen.id)
        except NotFound:
            stored = None
    report = stored.report if stored is not None else None
    return {
        "schedule_version": chosen,  # "version" is the app's, in the footer
        "stored": stored,
        "report": report,
        "job": None,
        "marks": STATUS_MARKS,
        "margin_marks": MARGIN_MARKS,
        "margin_class": margin_class,
        "severity_words": SEVERITY_WORDS,
        "day": dt.date.fromisoformat,
        "can_run": principal.can(Permission.SCHEDULE_WRITE),
        "section": "contingency",
        "program_name": None,
        **backup_context(request, report),
    }


@router.post("/contingency")
def run_contingency(
    request: Request, principal: Runner, queue: QueueDep, fields: Annotated[RunForm, Form()]
) -> Response:
    """Submit the analysis of the version (the next 28 days unless a horizon is given)."""
    submitted = jobs.submit_job(
        factory=request_factory(request),
        queue=queue,
        kind=JobKind.CONTINGENCY,
        parameters={
            "version_id": fields.version_id,
            "start": fields.start or None,
            "end": fields.end or None,
        },
        actor=request_actor(request, principal),
        requested_by=principal.user_id,
    )
    target = f"/contingency?version={fields.version_id}&job={submitted.id}"
    return RedirectResponse(target, status_code=303)


@router.get("/contingency/jobs/{job_id}", response_class=HTMLResponse)
def job_progress(request: Request, principal: Reader, job_id: ItemId) -> Response:
    """The running analysis' progress, polled every second; once it has finished, the page
    reloads itself to show the new report (htmx's HX-Refresh)."""
    found = jobs.get_job(factory=request_factory(request), job_id=job_id)
    if found.kind != JobKind.CONTINGENCY.value:
        raise NotFound(f"job {job_id} is not a contingency analysis", details={"entity": "job"})
    response = templates.TemplateResponse(
        request, "contingency/_progress.html", {"job": found, "marks": STATUS_MARKS}
    )
    if found.status.finished and request.headers.get("HX-Request"):
        response.headers["HX-Refresh"] = "true"
    return response


def _version(factory: Any, text: str | None) -> ScheduleVersion | None:
    number = url_number((text or "").strip()) if text else None
    if text and (number is None or number > MAX_ID):
        raise Invalid(f"version: not a version id: {text!r}", details={"field": "version"})
    if number is not None:
        return schedules.get_schedule(factory=factory, version_id=number)
    return schedules.default_schedule(factory=factory)


def _job(factory: Any, text: str | None) -> Job | None:
    number = url_number((text or "").strip()) if text else None
    if number is None or number > MAX_ID:
        return None
    try:
        found = jobs.get_job(factory=factory, job_id=number)
    except NotFound:
        return None
    return found if found.kind == JobKind.CONTINGENCY.value else None


@router.post("/contingency/backups")
def add_backup_row(
    request: Request, principal: Runner, fields: Annotated[BackupForm, Form()]
) -> Response:
    """Put a suggested backup on the jeopardy shift that day (one change: history, undo);
    a refusal shows the page again with the reason and writes nothing."""
    factory = request_factory(request)
    chosen = schedules.get_schedule(factory=factory, version_id=fields.version_id)
    try:
        applied = add_backup(
            factory=factory,
            version_id=chosen.id,
            person=fields.person.strip(),
            day=fields.when(),
            out=fields.out.strip(),
            actor=request_actor(request, principal),
            today=today_of(request),
            override=fields.override(),
        )
    except DomainError as exc:
        context = page_context(request, principal, chosen)
        context["backup_error"] = sentence(exc.message)
        status = refusal_status(exc)
        return templates.TemplateResponse(
            request, "contingency/page.html", context, status_code=status
        )
    target = f"/contingency?version={chosen.id}&added={applied.id}#ct-backups"
    return RedirectResponse(target, status_code=303)
