"""The Jobs page: "what is running?" (UI.md) - each job with its status, progress and who
started it, and Cancel. Coordinators and admins (jobs:manage) see every job; residents and
faculty (jobs:own) see and cancel only the jobs they started, as in the API. A running job's
row refreshes itself every second (htmx polling of the row alone); a finished row carries no
trigger, so the polling stops by itself."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from resched.core.errors import DomainError
from resched.db.repositories.jobs import Job
from resched.db.tables import JobStatus
from resched.http.auth import request_actor, require
from resched.http.database import request_factory
from resched.http.params import ItemId, Offset
from resched.services import jobs
from resched.services.common import DEFAULT_PAGE_SIZE
from resched.services.permissions import Permission, Principal, job_owner_filter
from resched.web.templating import templates

router = APIRouter(include_in_schema=False)
Owner = Annotated[Principal, require(Permission.JOBS_OWN)]
JobId = ItemId
NOTICES = {
    "cancelled": "Cancel requested: a running job stops within a few seconds.",
    "import": "The import is large: it runs in the background (below); its page shows the result.",
}
# What each status shows besides its colour (UI.md: colour is never the only carrier).
STATUS_MARKS = {
    JobStatus.QUEUED: ("…", "Queued"),
    JobStatus.RUNNING: ("▶", "Running"),
    JobStatus.SUCCEEDED: ("✓", "Succeeded"),
    JobStatus.FAILED: ("✗", "Failed"),
    JobStatus.CANCELLED: ("■", "Cancelled"),
}


def _row_context(request: Request, job: Job) -> dict[str, Any]:
    return {"job": job, "marks": STATUS_MARKS, "drafts": _drafts(request, [job.id])}


def _drafts(request: Request, job_ids: list[int]) -> dict[int, int]:
    """Job id -> the draft it stored, for the rows' links."""
    return jobs.versions_of_jobs(factory=request_factory(request), job_ids=job_ids)


@router.get("/jobs", response_class=HTMLResponse)
def jobs_page(
    request: Request,
    principal: Owner,
    notice: str = "",
    problem: str = "",
    offset: Offset = 0,
) -> Response:
    page = jobs.list_jobs(
        factory=request_factory(request),
        limit=DEFAULT_PAGE_SIZE,
        offset=offset,
        owner=job_owner_filter(principal),
    )
    context = {
        "page": page,
        "marks": STATUS_MARKS,
        "drafts": _drafts(request, [job.id for job in page.items]),
        "everyone": principal.can(Permission.JOBS_MANAGE),
        "notice": NOTICES.get(notice),
        "problem": problem[:200] or None,
        "section": "jobs",
        "program_name": None,
    }
    return templates.TemplateResponse(request, "jobs/page.html", context)


@router.get("/jobs/{job_id}/row", response_class=HTMLResponse)
def job_row(request: Request, principal: Owner, job_id: JobId) -> Response:
    """One job's table row, for the page's polling (someone else's job is 404 for jobs:own)."""
    job = jobs.get_job(
        factory=request_factory(request),
        job_id=job_id,
        owner=job_owner_filter(principal),
    )
    return templates.TemplateResponse(request, "jobs/_row.html", _row_context(request, job))


@router.post("/jobs/{job_id}/cancel")
def cancel_job(request: Request, principal: Owner, job_id: JobId) -> Response:
    try:
        jobs.request_cancel(
            factory=request_factory(request),
            job_id=job_id,
            actor=request_actor(request, principal),
            owner=job_owner_filter(principal),
        )
    except DomainError as exc:
        if exc.code == "not_found":
            raise
        return RedirectResponse(f"/jobs?problem=Job {job_id} {_finished(exc)}", status_code=303)
    return RedirectResponse("/jobs?notice=cancelled", status_code=303)


def _finished(error: DomainError) -> str:
    status = error.details.get("status")
    return f"had already {status}; nothing to cancel." if status else "could not be cancelled."
