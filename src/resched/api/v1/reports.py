"""/reports/fairness: the weekly fairness report - read the latest, or make one now.

The report compares residents' workload (calls, nights, weekend and holiday duty days, hours)
within each PGY level: a coordinator's tool, so reading it takes ``jobs:manage`` (it is the
result of a job someone else - the scheduler - started), and asking for one is schedule work
(``schedule:write``), like every job submission.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import Field

from resched.api.deps import ActorDep, SessionFactoryDep
from resched.api.responses import error_responses
from resched.api.schemas.common import Day, Input
from resched.api.schemas.jobs import JobOut, stored_report
from resched.http.auth import require
from resched.http.jobs import job_queue
from resched.services import jobs
from resched.services.fairness import latest_fairness_report
from resched.services.jobs.kinds import JobKind
from resched.services.permissions import Permission, Principal

router = APIRouter(prefix="/reports", tags=["reports"])
Submitter = Annotated[Principal, require(Permission.SCHEDULE_WRITE)]


class FairnessIn(Input):
    as_of: Day | None = Field(
        default=None, description="last day of the year to date (default: the program's today)"
    )


@router.get(
    "/fairness",
    response_description="The latest stored resched.fairness/v1 report, with its job.",
    dependencies=[require(Permission.JOBS_MANAGE)],
    responses=error_responses(404),
)
def get_fairness_report(factory: SessionFactoryDep) -> JSONResponse:
    """The report of the most recent fairness job that succeeded; 404 before the first."""
    stored = latest_fairness_report(factory=factory)
    return JSONResponse(stored_report(stored.job, stored.report))


@router.post("/fairness", status_code=202)
async def submit_fairness_report(
    request: Request,
    principal: Submitter,
    factory: SessionFactoryDep,
    actor: ActorDep,
    body: FairnessIn | None = None,
) -> JobOut:
    """Make a fairness report now (a job; follow it with GET /jobs/{id})."""
    as_of = None if body is None or body.as_of is None else body.as_of.isoformat()
    job = await run_in_threadpool(
        lambda: jobs.submit_job(
            factory=factory,
            queue=job_queue(request),
            kind=JobKind.FAIRNESS_REPORT,
            parameters={"as_of": as_of},
            actor=actor,
            requested_by=principal.user_id,
        )
    )
    return JobOut.of(job)
