"""Background jobs: one row per piece of long work, the single source of its status.

The broker only carries the job id; everything a page, the API or the CLI shows about a job
(status, progress, who asked, the result) lives here, so it survives a broker restart and is
the same whichever worker, on whichever machine, runs the job.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from resched.db.base import Base
from resched.db.types import UTCDateTime, json_type, str_enum, utc_now


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def finished(self) -> bool:
        return self in FINISHED


FINISHED = frozenset({JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED})


class JobRow(Base):
    __tablename__ = "job"
    __table_args__ = (
        CheckConstraint("progress >= 0 AND progress <= 1", name="progress_fraction"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        # The reaper's two scans: running jobs by heartbeat, queued jobs by enqueue time.
        Index(None, "status", "heartbeat_at"),
        Index(None, "created_at"),
        # A leave request's repair runs are generation jobs naming it in their parameters: the
        # leave queue reads only the generation jobs, not every export and check ever run.
        Index(None, "kind", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    parameters: Mapped[dict[str, Any]] = mapped_column(json_type())
    status: Mapped[JobStatus] = mapped_column(
        str_enum(JobStatus, "job_status"), default=JobStatus.QUEUED
    )
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    message: Mapped[str] = mapped_column(String(500), default="")
    # The figures behind progress and message (a generation's objective, bound, gap), for
    # pages and clients that show them as figures rather than as a sentence.
    details: Mapped[dict[str, Any] | None] = mapped_column(json_type())
    # Deferred: an export document can be megabytes, and lists never show it.
    result: Mapped[dict[str, Any] | None] = deferred(mapped_column(json_type()))
    # SET NULL: deleting an account keeps the history of what ran.
    requested_by: Mapped[int | None] = mapped_column(
        ForeignKey("app_user.id", ondelete="SET NULL"), index=True
    )
    # NULLs never collide in a unique constraint: jobs without a key are never deduplicated.
    idempotency_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    # Which execution owns the row: every claim adds one, and a worker writes only while the
    # count is still its own, so a worker presumed dead cannot overwrite its successor.
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    worker: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utc_now)
    enqueued_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
