"""The calls a worker makes while it runs a job, and the reaper that cleans up after lost ones.

Every function here is safe to call twice and from several processes at once: each is one
conditional UPDATE (resched.db.repositories.jobs), so a message delivered twice, two workers
racing for one job, or a worker presumed dead cannot run a job twice or overwrite a result.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from resched.db.repositories.jobs import JobRepository
from resched.db.tables import JobStatus
from resched.db.types import utc_now
from resched.logs import get_logger
from resched.services.audit import record
from resched.services.common import SessionFactory
from resched.services.common import write as write_transaction
from resched.services.jobs.queue import ENTITY, Claim, JobPolicy, JobQueue, JobSignal, hand_over

SYSTEM = "system"
BUSY_MARGIN_S = 0.5  # look again just after the heartbeat would have gone stale
log = get_logger("resched.jobs")


@dataclass(frozen=True, slots=True)
class Busy:
    """The job runs under another execution whose heartbeat is fresh. This delivery may be a
    broker's redelivery after that execution's worker died: look again once the heartbeat
    would have gone stale (``retry_in`` seconds), and take over then if it has."""

    retry_in: float


def claim_job(
    *, factory: SessionFactory, job_id: int, worker: str, policy: JobPolicy
) -> Claim | Busy | None:
    """Take the job for this execution; Busy while another execution holds it; None when
    there is nothing to do (finished, cancelled, unknown). A job that lost its worker more
    than ``policy.max_attempts`` times is failed instead of run again."""
    now = utc_now()
    with write_transaction(factory) as session:
        repo = JobRepository(session)
        attempt = repo.claim(job_id, worker=worker, now=now, stale_before=now - policy.stale_after)
        if attempt is None:
            return _unclaimed(repo, job_id, now, policy)
        job = repo.get(job_id)
        assert job is not None
        if attempt > policy.max_attempts:
            message = f"Failed: its worker was lost {attempt - 1} times."
            repo.finish(
                job_id, attempt, status=JobStatus.FAILED, now=now, message=message, result=None
            )
            _audit_end(session, job_id, JobStatus.FAILED, message)
            return None
    return Claim(job, attempt)


def _unclaimed(
    repo: JobRepository, job_id: int, now: dt.datetime, policy: JobPolicy
) -> Busy | None:
    job = repo.get(job_id)
    if job is None or job.status.finished:
        return None
    if job.status is JobStatus.RUNNING and job.cancel_requested:
        # Its worker died after a cancel was asked for: no one is left to honour the flag.
        stale = job.heartbeat_at is None or job.heartbeat_at < now - policy.stale_after
        if stale:
            repo.close_cancelled(job_id, now=now, message="Cancelled (its worker was lost).")
            return None
    if job.status is JobStatus.RUNNING and job.heartbeat_at is not None:
        until = job.heartbeat_at + policy.stale_after - now
        return Busy(retry_in=max(until.total_seconds(), 0.0) + BUSY_MARGIN_S)
    return None


def beat_job(
    *,
    factory: SessionFactory,
    claim: Claim,
    progress: float,
    message: str,
    details: dict[str, Any] | None = None,
) -> JobSignal:
    """Heartbeat, progress (0-1), message and (optionally) the figures behind them of a
    running execution; tells it whether to go on."""
    with write_transaction(factory) as session:
        flag = JobRepository(session).beat(
            claim.job.id,
            claim.attempt,
            now=utc_now(),
            progress=min(max(progress, 0.0), 1.0),
            message=message,
            details=details,
        )
    if flag is None:
        return JobSignal.LOST
    return JobSignal.CANCEL if flag else JobSignal.CONTINUE


def finish_job(
    *,
    factory: SessionFactory,
    claim: Claim,
    status: JobStatus,
    message: str,
    result: dict[str, Any] | None = None,
) -> bool:
    """Record how the execution ended (audited). False when the attempt no longer owned the
    row: its outcome is dropped, the job's state is the successor's or the reaper's."""
    if not status.finished:
        raise ValueError(f"{status} is not a final status")
    with write_transaction(factory) as session:
        done = JobRepository(session).finish(
            claim.job.id,
            claim.attempt,
            status=status,
            now=utc_now(),
            message=message,
            result=result,
        )
        if done:
            _audit_end(session, claim.job.id, status, message)
    return done


@dataclass(frozen=True, slots=True)
class ReapReport:
    failed_running: list[int]  # lost their worker: failed
    requeued: list[int]  # queued too long: handed to the queue again
    failed_queued: list[int]  # queued for longer than give_up_after: failed

    def __str__(self) -> str:
        return (
            f"{len(self.failed_running)} stale running job(s) failed, "
            f"{len(self.requeued)} queued job(s) enqueued again, "
            f"{len(self.failed_queued)} queued job(s) given up"
        )


def reap_stale_jobs(
    *, factory: SessionFactory, queue: JobQueue, policy: JobPolicy, now: dt.datetime | None = None
) -> ReapReport:
    """Fail running jobs whose heartbeat is older than ``policy.stale_after`` (their worker
    died: a SIGKILL, a lost machine); enqueue again queued jobs no worker took within
    ``requeue_after``; fail queued jobs older than ``give_up_after``. Audited as "system"."""
    now = now or utc_now()
    stale = "Failed: its worker stopped reporting (killed, or its machine was lost)."
    never = "Failed: no worker picked it up."
    with write_transaction(factory) as session:
        repo = JobRepository(session)
        failed_running = repo.fail_stale(
            stale_before=now - policy.stale_after, now=now, message=stale
        )
        waiting = repo.waiting_since(now - policy.requeue_after)
        too_old = [i for i, _, created in waiting if created < now - policy.give_up_after]
        failed_queued = repo.fail_queued(too_old, now=now, message=never)
        requeue = [(i, kind) for i, kind, _ in waiting if i not in set(failed_queued)]
        repo.mark_enqueued([i for i, _ in requeue], now)
        for job_id in failed_running:
            _audit_end(session, job_id, JobStatus.FAILED, stale)
        for job_id in failed_queued:
            _audit_end(session, job_id, JobStatus.FAILED, never)
    hand_over(factory, queue, requeue)
    report = ReapReport(failed_running, [i for i, _ in requeue], failed_queued)
    if failed_running or requeue or failed_queued:
        log.warning("reaped jobs", summary=str(report))
    return report


def _audit_end(session: Session, job_id: int, status: JobStatus, message: str) -> None:
    record(
        session,
        actor=SYSTEM,
        action=status.value,
        entity=ENTITY,
        entity_id=job_id,
        after={"status": status.value},
        reason=message,
    )
