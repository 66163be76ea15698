"""Background jobs: a submission, and a job as the API shows it."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, StringConstraints

from resched.api.schemas.common import Input, Instant, Output
from resched.db.repositories.jobs import Job
from resched.db.tables import JobStatus

Key = Annotated[str, StringConstraints(strict=True, min_length=1, max_length=200)]


class JobIn(Input):
    """``kind`` and its ``parameters`` (docs/jobs.md lists them). Sending the same
    ``idempotency_key`` again returns the job it created instead of starting another."""

    kind: Annotated[str, StringConstraints(strict=True, min_length=1, max_length=40)]
    parameters: dict[str, Any] = Field(default_factory=dict)
    idempotency_key: Key | None = None


class JobOut(Output):
    id: int
    kind: str
    parameters: dict[str, Any]
    status: JobStatus
    progress: float = Field(description="0 to 1")
    message: str
    details: dict[str, Any] | None = Field(
        description="the figures behind progress and message, by kind (docs/jobs.md)"
    )
    requested_by: str | None = Field(description="username; null for the scheduler")
    idempotency_key: str | None
    cancel_requested: bool
    attempts: int
    created_at: Instant
    started_at: Instant | None
    heartbeat_at: Instant | None
    finished_at: Instant | None

    @classmethod
    def of(cls, job: Job) -> JobOut:
        return cls(
            id=job.id,
            kind=job.kind,
            parameters=job.parameters,
            status=job.status,
            progress=job.progress,
            message=job.message,
            details=job.details,
            requested_by=job.requested_by_name,
            idempotency_key=job.idempotency_key,
            cancel_requested=job.cancel_requested,
            attempts=job.attempts,
            created_at=job.created_at,
            started_at=job.started_at,
            heartbeat_at=job.heartbeat_at,
            finished_at=job.finished_at,
        )


def stored_report(job: Job, report: dict[str, Any]) -> dict[str, Any]:
    """A report a job made, as the latest-report routes answer: ``{job_id, finished_at,
    report}``."""
    finished = job.finished_at
    return {
        "job_id": job.id,
        "finished_at": None if finished is None else finished.isoformat(),
        "report": report,
    }
