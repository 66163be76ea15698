"""/jobs: background jobs - submit, follow, cancel, fetch the result.

Coordinators and admins see and cancel every job; everyone else only the jobs they started
(someone else's job is 404 to them). Submitting is schedule work (``schedule:write``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from resched.api.deps import ActorDep, PageDep, SessionFactoryDep
from resched.api.downloads import file_ok
from resched.api.responses import error_responses
from resched.api.schemas import PageOut
from resched.api.schemas.jobs import JobIn, JobOut
from resched.db.tables import JobStatus
from resched.http.auth import require
from resched.http.downloads import attachment
from resched.http.jobs import job_queue
from resched.http.params import MAX_ID
from resched.services import jobs
from resched.services.exports.common import XLSX_MEDIA_TYPE
from resched.services.exports.job_files import job_file
from resched.services.pdf_reports import MEDIA_TYPE as PDF_MEDIA_TYPE
from resched.services.permissions import Permission, Principal, job_owner_filter

router = APIRouter(prefix="/jobs", tags=["jobs"])
Own = Annotated[Principal, require(Permission.JOBS_OWN)]
Submitter = Annotated[Principal, require(Permission.SCHEDULE_WRITE)]
JobId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("")
def list_jobs(
    principal: Own, factory: SessionFactoryDep, page: PageDep, status: JobStatus | None = None
) -> PageOut[JobOut]:
    """Jobs, newest first."""
    result = jobs.list_jobs(
        factory=factory,
        limit=page.limit,
        offset=page.offset,
        owner=job_owner_filter(principal),
        status=status,
    )
    return PageOut[JobOut].of(result, JobOut.of)


@router.post("", status_code=202)
async def submit_job(
    body: JobIn, request: Request, principal: Submitter, factory: SessionFactoryDep, actor: ActorDep
) -> JobOut:
    """Queue a job; it runs on a worker. Follow it with GET /jobs/{id}."""
    job = await run_in_threadpool(
        lambda: jobs.submit_job(
            factory=factory,
            queue=job_queue(request),
            kind=body.kind,
            parameters=body.parameters,
            actor=actor,
            requested_by=principal.user_id,
            idempotency_key=body.idempotency_key,
        )
    )
    return JobOut.of(job)


@router.get("/{job_id}")
def get_job(job_id: JobId, principal: Own, factory: SessionFactoryDep) -> JobOut:
    return JobOut.of(
        jobs.get_job(factory=factory, job_id=job_id, owner=job_owner_filter(principal))
    )


@router.get(
    "/{job_id}/result",
    response_description="The job's result document.",
    responses=error_responses(409),
)
def get_job_result(job_id: JobId, principal: Own, factory: SessionFactoryDep) -> JSONResponse:
    """What a succeeded job produced, or the report a failed one kept (a generation that found
    no schedule: the solver's explanation); 409 while the job has none."""
    result = jobs.get_job_result(factory=factory, job_id=job_id, owner=job_owner_filter(principal))
    return JSONResponse(result)


@router.get(
    "/{job_id}/file",
    response_class=Response,
    responses={
        **file_ok(
            "The file the job made: an ``xlsx_year`` job's workbook of the year, a "
            "``compliance_pdf`` job's compliance report as a PDF.",
            XLSX_MEDIA_TYPE,
            PDF_MEDIA_TYPE,
        ),
        **error_responses(409),
    },
)
def get_job_file(job_id: JobId, principal: Own, factory: SessionFactoryDep) -> Response:
    """The file a succeeded export job made, as an attachment; 409 while the job has no
    result, or when its result is a document rather than a file."""
    exported = job_file(factory=factory, job_id=job_id, owner=job_owner_filter(principal))
    return attachment(exported)


@router.post("/{job_id}/cancel")
def cancel_job(
    job_id: JobId, principal: Own, factory: SessionFactoryDep, actor: ActorDep
) -> JobOut:
    """A queued job is cancelled at once; a running one stops within about a second (its
    status stays ``running`` with ``cancel_requested`` until it does). 409 once it ended."""
    job = jobs.request_cancel(
        factory=factory, job_id=job_id, actor=actor, owner=job_owner_filter(principal)
    )
    return JobOut.of(job)
