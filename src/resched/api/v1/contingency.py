"""/schedules/{id}/contingency: the contingency analysis of a version (issue 15) - make one
now (a job), or read the latest that finished.

Both are coordinators' work: submitting is ``schedule:write`` (like every job submission), and
reading takes ``schedule:drafts`` (the report names everyone the schedule cannot lose, and may
be of a draft).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import Field

from resched.api.deps import ActorDep, SessionFactoryDep
from resched.api.responses import error_responses
from resched.api.schemas.changes import ChangeOut, OverrideIn
from resched.api.schemas.common import Code, Day, Input
from resched.api.schemas.jobs import JobOut, stored_report
from resched.http.auth import require
from resched.http.clock import request_now
from resched.http.jobs import job_queue
from resched.http.params import MAX_ID
from resched.services import contingency, jobs
from resched.services.contingency.backups import add_backup
from resched.services.fairness import today_of_program
from resched.services.jobs.kinds import JobKind
from resched.services.permissions import Permission, Principal

router = APIRouter(prefix="/schedules", tags=["contingency"])
Submitter = Annotated[Principal, require(Permission.SCHEDULE_WRITE)]
VersionId = Annotated[int, Path(ge=1, le=MAX_ID)]


class ContingencyIn(Input):
    start: Day | None = Field(
        default=None, description="first day of the horizon (default: the program's today)"
    )
    end: Day | None = Field(
        default=None, description="last day (default: 28 days from the start); with start"
    )


class BackupIn(Input):
    person: Code = Field(description="the stand-in's code (a suggested backup's)")
    day: Day
    out: Code | None = Field(default=None, description="whom they back up (named in the summary)")
    override: OverrideIn | None = None


@router.post("/{version_id}/contingency", status_code=202, responses=error_responses(404))
async def submit_contingency(
    version_id: VersionId,
    request: Request,
    principal: Submitter,
    factory: SessionFactoryDep,
    actor: ActorDep,
    body: ContingencyIn | None = None,
) -> JobOut:
    """Analyse the version now (a job; follow it with GET /jobs/{id}): margins, N-1, N-2,
    utilization and suggested backups over the horizon."""
    start = None if body is None or body.start is None else body.start.isoformat()
    end = None if body is None or body.end is None else body.end.isoformat()
    job = await run_in_threadpool(
        lambda: jobs.submit_job(
            factory=factory,
            queue=job_queue(request),
            kind=JobKind.CONTINGENCY,
            parameters={"version_id": version_id, "start": start, "end": end},
            actor=actor,
            requested_by=principal.user_id,
        )
    )
    return JobOut.of(job)


@router.get(
    "/{version_id}/contingency/latest",
    response_description="The latest resched.contingency/v1 report of the version, with its job.",
    dependencies=[require(Permission.SCHEDULE_DRAFTS)],
    responses=error_responses(404),
)
def latest_contingency(version_id: VersionId, factory: SessionFactoryDep) -> JSONResponse:
    """The report of the most recent contingency job about the version that succeeded; 404
    for an unknown version and before the first."""
    stored = contingency.latest_analysis(factory=factory, version_id=version_id)
    return JSONResponse(stored_report(stored.job, stored.report))


@router.post(
    "/{version_id}/contingency/backups",
    status_code=201,
    dependencies=[require(Permission.SCHEDULE_WRITE)],
    responses=error_responses(404, 409, 422),
)
def add_contingency_backup(
    version_id: VersionId,
    body: BackupIn,
    request: Request,
    factory: SessionFactoryDep,
    actor: ActorDep,
) -> ChangeOut:
    """Put a suggested backup on the program's jeopardy shift that day, as one change (undo it
    with POST /changes/{id}/undo). 422 naming ``jeopardy_shift`` when none is set,
    ``override`` for a frozen day without one, or the findings of a new violation; 409 if the
    person already holds that shift."""
    applied = add_backup(
        factory=factory,
        version_id=version_id,
        person=body.person,
        day=body.day,
        out=body.out or "",
        actor=actor,
        today=today_of_program(factory=factory, now=request_now(request)),
        override=body.override.to_core() if body.override else None,
    )
    return ChangeOut.of(applied)
