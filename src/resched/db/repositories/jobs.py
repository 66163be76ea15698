"""The job table: conditional updates that make claiming, reporting and finishing safe when
several workers (and the reaper) touch the same row.

Every write after the claim names the attempt that owns the row (``attempts``): an execution
presumed dead - its heartbeat went stale and the job was failed or claimed again - then finds
its updates match no row and stops, instead of overwriting its successor's result.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.orm import Session

from resched.db.records import Page
from resched.db.tables import JobRow, JobStatus, UserRow

MESSAGE_LENGTH = 500  # the column


@dataclass(frozen=True, slots=True)
class Job:
    """A job as read back, without its (possibly large) result."""

    id: int
    kind: str
    parameters: dict[str, Any]
    status: JobStatus
    progress: float
    message: str
    details: dict[str, Any] | None  # the figures behind progress and message, kind-specific
    requested_by: int | None
    requested_by_name: str | None
    idempotency_key: str | None
    cancel_requested: bool
    attempts: int
    worker: str | None
    created_at: dt.datetime
    enqueued_at: dt.datetime | None
    started_at: dt.datetime | None
    heartbeat_at: dt.datetime | None
    finished_at: dt.datetime | None


def _job(found: Any) -> Job:
    # A (JobRow, username) row of JobRepository._select.
    row: JobRow = found[0]
    username: str | None = found[1]
    return Job(
        id=row.id,
        kind=row.kind,
        parameters=dict(row.parameters),
        status=row.status,
        progress=row.progress,
        message=row.message,
        details=None if row.details is None else dict(row.details),
        requested_by=row.requested_by,
        requested_by_name=username,
        idempotency_key=row.idempotency_key,
        cancel_requested=row.cancel_requested,
        attempts=row.attempts,
        worker=row.worker,
        created_at=row.created_at,
        enqueued_at=row.enqueued_at,
        started_at=row.started_at,
        heartbeat_at=row.heartbeat_at,
        finished_at=row.finished_at,
    )


def clip(message: str) -> str:
    return message if len(message) <= MESSAGE_LENGTH else message[: MESSAGE_LENGTH - 1] + "…"


def _owned(job_id: int, attempt: int) -> tuple[ColumnElement[bool], ...]:
    return (JobRow.id == job_id, JobRow.attempts == attempt, JobRow.status == JobStatus.RUNNING)


class JobRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _select(self) -> Any:
        return select(JobRow, UserRow.username).outerjoin(
            UserRow, UserRow.id == JobRow.requested_by
        )

    def add(
        self,
        *,
        kind: str,
        parameters: dict[str, Any],
        requested_by: int | None,
        idempotency_key: str | None,
    ) -> int:
        row = JobRow(
            kind=kind,
            parameters=parameters,
            requested_by=requested_by,
            idempotency_key=idempotency_key,
        )
        self.session.add(row)
        self.session.flush()
        return row.id

    def get(self, job_id: int) -> Job | None:
        found = self.session.execute(self._select().where(JobRow.id == job_id)).first()
        return None if found is None else _job(found)

    def by_key(self, key: str) -> Job | None:
        found = self.session.execute(self._select().where(JobRow.idempotency_key == key)).first()
        return None if found is None else _job(found)

    def result(self, job_id: int) -> dict[str, Any] | None:
        return self.session.scalar(select(JobRow.result).where(JobRow.id == job_id))

    def version_ids(self, job_ids: Sequence[int]) -> dict[int, int]:
        """Job id -> the schedule version its result names (``version_id``: a generated or
        imported draft), for those of ``job_ids`` that stored one. One query."""
        if not job_ids:
            return {}
        version = JobRow.result["version_id"].as_integer()
        stmt = select(JobRow.id, version).where(JobRow.id.in_(list(job_ids)), version.is_not(None))
        return {job_id: vid for job_id, vid in self.session.execute(stmt) if vid is not None}

    def latest_succeeded(
        self, kind: str, *, version_id: int | None = None
    ) -> tuple[Job, dict[str, Any]] | None:
        """The most recently finished succeeded job of ``kind`` (about ``version_id``, if
        given: its parameters name it), with its result."""
        found = self.recent_succeeded(kind, version_id=version_id, limit=1)
        return found[0] if found else None

    def recent_succeeded(
        self, kind: str, *, version_id: int | None = None, limit: int
    ) -> list[tuple[Job, dict[str, Any]]]:
        """The ``limit`` most recently finished succeeded jobs of ``kind`` (about
        ``version_id``, if given), newest first, with their results."""
        where = [JobRow.kind == kind, JobRow.status == JobStatus.SUCCEEDED]
        if version_id is not None:
            where.append(JobRow.parameters["version_id"].as_integer() == version_id)
        rows = self.session.execute(
            self._select()
            .add_columns(JobRow.result)
            .where(*where)
            .order_by(JobRow.finished_at.desc(), JobRow.id.desc())
            .limit(limit)
        ).all()
        return [(_job(row), row[-1] or {}) for row in rows]

    def list_page(
        self, *, limit: int, offset: int, requested_by: int | None, status: JobStatus | None
    ) -> Page[Job]:
        where: list[ColumnElement[bool]] = []
        if requested_by is not None:
            where.append(JobRow.requested_by == requested_by)
        if status is not None:
            where.append(JobRow.status == status)
        total = self.session.scalar(select(func.count()).select_from(JobRow).where(*where)) or 0
        rows = self.session.execute(
            self._select()
            .where(*where)
            .order_by(JobRow.created_at.desc(), JobRow.id.desc())
            .limit(limit)
            .offset(offset)
        ).all()
        return Page(tuple(_job(r) for r in rows), total, limit, offset)

    def mark_enqueued(self, job_ids: list[int], at: dt.datetime) -> None:
        self.session.execute(
            update(JobRow)
            .where(JobRow.id.in_(job_ids), JobRow.status == JobStatus.QUEUED)
            .values(enqueued_at=at)
        )

    def note_waiting(self, job_ids: list[int], message: str) -> None:
        self.session.execute(
            update(JobRow)
            .where(JobRow.id.in_(job_ids), JobRow.status == JobStatus.QUEUED)
            .values(message=clip(message))
        )

    def claim(
        self, job_id: int, *, worker: str, now: dt.datetime, stale_before: dt.datetime
    ) -> int | None:
        """Take the job for one execution: a queued job, or a running one whose worker stopped
        beating. One UPDATE, so two workers racing for the row cannot both win (PostgreSQL
        re-checks the WHERE after the first one's row lock; SQLite serialises writers).
        Returns the attempt number that now owns the row, or None."""
        claimable = (JobRow.status == JobStatus.QUEUED) | (
            (JobRow.status == JobStatus.RUNNING) & (JobRow.heartbeat_at < stale_before)
        )
        return self.session.scalar(
            update(JobRow)
            .where(JobRow.id == job_id, JobRow.cancel_requested.is_(False), claimable)
            .values(
                status=JobStatus.RUNNING,
                attempts=JobRow.attempts + 1,
                worker=worker[:200],
                started_at=now,
                heartbeat_at=now,
            )
            .returning(JobRow.attempts)
        )

    def beat(
        self,
        job_id: int,
        attempt: int,
        *,
        now: dt.datetime,
        progress: float,
        message: str,
        details: dict[str, Any] | None = None,
    ) -> bool | None:
        """Heartbeat and progress of the owning attempt; returns the cancel flag, or None when
        the attempt no longer owns the row. ``details`` None leaves the stored ones alone."""
        values: dict[str, Any] = {
            "heartbeat_at": now,
            "progress": progress,
            "message": clip(message),
        }
        if details is not None:
            values["details"] = details
        return self.session.scalar(
            update(JobRow)
            .where(*_owned(job_id, attempt))
            .values(**values)
            .returning(JobRow.cancel_requested)
        )

    def finish(
        self,
        job_id: int,
        attempt: int,
        *,
        status: JobStatus,
        now: dt.datetime,
        message: str,
        result: dict[str, Any] | None,
    ) -> bool:
        values: dict[str, Any] = {"status": status, "finished_at": now, "message": clip(message)}
        if status is JobStatus.SUCCEEDED:
            values["progress"] = 1.0
        if result is not None:
            # A failed job may keep a result too: a generation that found no schedule keeps
            # the solver's report (the conflicts that explain why).
            values["result"] = result
        done = self.session.scalar(
            update(JobRow).where(*_owned(job_id, attempt)).values(**values).returning(JobRow.id)
        )
        return done is not None

    def cancel_queued(self, job_id: int, *, now: dt.datetime, message: str) -> bool:
        done = self.session.scalar(
            update(JobRow)
            .where(JobRow.id == job_id, JobRow.status == JobStatus.QUEUED)
            .values(
                status=JobStatus.CANCELLED, cancel_requested=True, finished_at=now, message=message
            )
            .returning(JobRow.id)
        )
        return done is not None

    def close_cancelled(self, job_id: int, *, now: dt.datetime, message: str) -> None:
        self.session.execute(
            update(JobRow)
            .where(JobRow.id == job_id, JobRow.status == JobStatus.RUNNING)
            .values(status=JobStatus.CANCELLED, finished_at=now, message=clip(message))
        )

    def flag_cancel(self, job_id: int) -> bool:
        done = self.session.scalar(
            update(JobRow)
            .where(JobRow.id == job_id, JobRow.status == JobStatus.RUNNING)
            .values(cancel_requested=True)
            .returning(JobRow.id)
        )
        return done is not None

    def fail_stale(self, *, stale_before: dt.datetime, now: dt.datetime, message: str) -> list[int]:
        """Fail every running job whose heartbeat is older than ``stale_before``."""
        ids = self.session.scalars(
            update(JobRow)
            .where(JobRow.status == JobStatus.RUNNING, JobRow.heartbeat_at < stale_before)
            .values(status=JobStatus.FAILED, finished_at=now, message=clip(message))
            .returning(JobRow.id)
        ).all()
        return sorted(ids)

    def fail_queued(self, job_ids: list[int], *, now: dt.datetime, message: str) -> list[int]:
        ids = self.session.scalars(
            update(JobRow)
            .where(JobRow.id.in_(job_ids), JobRow.status == JobStatus.QUEUED)
            .values(status=JobStatus.FAILED, finished_at=now, message=clip(message))
            .returning(JobRow.id)
        ).all()
        return sorted(ids)

    def waiting_since(self, before: dt.datetime) -> list[tuple[int, str, dt.datetime]]:
        """Queued jobs last handed to the broker before ``before`` (or never): id, kind and
        creation time."""
        rows = self.session.execute(
            select(JobRow.id, JobRow.kind, JobRow.created_at).where(
                JobRow.status == JobStatus.QUEUED,
                (JobRow.enqueued_at < before)
                | (JobRow.enqueued_at.is_(None) & (JobRow.created_at < before)),
            )
        ).all()
        return [(r[0], r[1], r[2]) for r in rows]
