"""Background jobs: submit, read, cancel - and the calls a worker makes while it runs one.

A job row is the truth about a piece of long work; the broker only carries its id. Submitting
commits the row first and hands the id to the queue after the commit (a worker can never
receive an id it cannot read). The queue is any ``JobQueue``: the Celery adapter in
production and embedded mode (resched.tasks), an in-process one in tests.

Executions are fenced by the ``attempts`` count (resched.db.repositories.jobs): a worker claims
the row atomically, then every heartbeat and its final status name its attempt, so a second
delivery of the same message, or a worker presumed dead, changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from resched.core.errors import Conflict, Invalid
from resched.db.records import Page
from resched.db.repositories.jobs import Job, JobRepository
from resched.db.tables import JobStatus
from resched.db.types import utc_now
from resched.logs import get_logger
from resched.services.audit import ActorLike, record
from resched.services.common import DEFAULT_PAGE_SIZE, SessionFactory, check_page, not_found, read
from resched.services.common import write as write_transaction
from resched.services.jobs.kinds import check_parameters, parse_kind

ENTITY = "job"
MAX_KEY_LENGTH = 200
log = get_logger("resched.jobs")


class QueueUnavailable(Exception):
    """The broker could not take the message (down, unreachable). The job stays queued and
    the reaper hands it over again."""


class JobQueue(Protocol):
    def enqueue(self, job_id: int, kind: str) -> None:
        """Hand a committed job's id to the workers; QueueUnavailable if that failed."""


class JobSignal(StrEnum):
    """What a running execution learns from its heartbeat."""

    CONTINUE = "continue"
    CANCEL = "cancel"  # someone asked to cancel: stop, and finish as cancelled
    LOST = "lost"  # the row is no longer this attempt's (reaped, or claimed again): stop


@dataclass(frozen=True, slots=True)
class JobPolicy:
    """When a job counts as abandoned. ``stale_after``: a running job whose heartbeat is
    older was lost with its worker. ``requeue_after``: a queued job no worker took by then is
    handed to the queue again. ``give_up_after``: a queued job that old is failed.
    ``max_attempts``: executions (first run plus retries after a lost worker) before failing."""

    stale_after: dt.timedelta = dt.timedelta(minutes=5)
    requeue_after: dt.timedelta = dt.timedelta(minutes=10)
    give_up_after: dt.timedelta = dt.timedelta(days=1)
    max_attempts: int = 2


@dataclass(frozen=True, slots=True)
class Claim:
    """One execution's hold on a job: the job as claimed and the attempt that owns it."""

    job: Job
    attempt: int


def submit_job(
    *,
    factory: SessionFactory,
    queue: JobQueue,
    kind: str,
    parameters: dict[str, Any],
    actor: ActorLike,
    requested_by: int | None,
    idempotency_key: str | None = None,
) -> Job:
    """Create the job (audited) and enqueue it after the commit. A key already used returns
    that job - whatever its state - and enqueues nothing: one key, one execution."""
    job_kind = parse_kind(kind)
    key = _check_key(idempotency_key)
    if key is not None and (existing := _by_key(factory, key)) is not None:
        return existing
    checked = check_parameters(factory, job_kind, parameters)
    try:
        with write_transaction(factory) as session:
            repo = JobRepository(session)
            job_id = repo.add(
                kind=job_kind.value,
                parameters=checked,
                requested_by=requested_by,
                idempotency_key=key,
            )
            repo.mark_enqueued([job_id], utc_now())
            job = repo.get(job_id)
            assert job is not None
            record(
                session, actor=actor, action="submit", entity=ENTITY, entity_id=job_id, after=job
            )
    except Conflict:
        # Another request with the same key committed between our look-up and our insert.
        if key is not None and (existing := _by_key(factory, key)) is not None:
            return existing
        raise
    if hand_over(factory, queue, [(job.id, job.kind)]):
        # The broker is down: answer with the row that says the job waits for it.
        return get_job(factory=factory, job_id=job.id)
    return job


def get_job(*, factory: SessionFactory, job_id: int, owner: int | None = None) -> Job:
    """A job; with ``owner``, only if that user requested it (else NotFound: someone else's
    jobs are not revealed)."""
    with read(factory) as session:
        job = JobRepository(session).get(job_id)
    if job is None or (owner is not None and job.requested_by != owner):
        not_found(ENTITY, job_id)
    return job


def get_job_result(
    *, factory: SessionFactory, job_id: int, owner: int | None = None
) -> dict[str, Any]:
    """What the job produced: a succeeded job's result, or the report a failed one kept (a
    generation that found no schedule keeps the solver's explanation). Conflict otherwise."""
    job = get_job(factory=factory, job_id=job_id, owner=owner)
    result = read_result(factory=factory, job=job)
    if result is None:
        raise Conflict(
            f"job {job_id} is {job.status.value} and has no result",
            details={"status": job.status.value},
        )
    return result


def read_result(*, factory: SessionFactory, job: Job) -> dict[str, Any] | None:
    """The result of a finished job (a succeeded one always has one, if only ``{}``); None
    while it runs and for a job that ended without one."""
    if not job.status.finished:
        return None
    with read(factory) as session:
        result = JobRepository(session).result(job.id)
    if result is None and job.status is JobStatus.SUCCEEDED:
        return {}
    return result


def list_jobs(
    *,
    factory: SessionFactory,
    limit: int = DEFAULT_PAGE_SIZE,
    offset: int = 0,
    owner: int | None = None,
    status: JobStatus | None = None,
) -> Page[Job]:
    """Jobs, newest first; with ``owner``, only that user's."""
    check_page(limit, offset)
    with read(factory) as session:
        return JobRepository(session).list_page(
            limit=limit, offset=offset, requested_by=owner, status=status
        )


def versions_of_jobs(*, factory: SessionFactory, job_ids: Sequence[int]) -> dict[int, int]:
    """Job id -> the draft it stored (generation and import jobs), for the Jobs page's links."""
    with read(factory) as session:
        return JobRepository(session).version_ids(job_ids)


def request_cancel(
    *, factory: SessionFactory, job_id: int, actor: ActorLike, owner: int | None = None
) -> Job:
    """A queued job is cancelled at once; a running one is flagged, and its worker stops at
    its next heartbeat (about a second). Conflict for a job that already finished."""
    get_job(factory=factory, job_id=job_id, owner=owner)
    with write_transaction(factory) as session:
        repo = JobRepository(session)
        before = repo.get(job_id)
        now = utc_now()
        if not (
            repo.cancel_queued(job_id, now=now, message="Cancelled before it started.")
            or repo.flag_cancel(job_id)
        ):
            assert before is not None
            raise Conflict(
                f"job {job_id} has already {before.status.value}",
                details={"status": before.status.value},
            )
        after = repo.get(job_id)
        record(
            session,
            actor=actor,
            action="cancel",
            entity=ENTITY,
            entity_id=job_id,
            before=before,
            after=after,
        )
    assert after is not None
    return after


def _check_key(key: str | None) -> str | None:
    if key is None:
        return None
    if not key.strip() or len(key) > MAX_KEY_LENGTH:
        raise Invalid(
            f"an idempotency key is 1 to {MAX_KEY_LENGTH} characters",
            details={"field": "idempotency_key"},
        )
    return key


def _by_key(factory: SessionFactory, key: str) -> Job | None:
    with read(factory) as session:
        return JobRepository(session).by_key(key)


def hand_over(factory: SessionFactory, queue: JobQueue, jobs: list[tuple[int, str]]) -> list[int]:
    """Enqueue committed jobs. A broker that is down does not lose them: they stay queued with
    a message saying so, and the reaper enqueues them again. Returns the ids left waiting."""
    failed: list[int] = []
    for job_id, kind in jobs:
        try:
            queue.enqueue(job_id, kind)
        except QueueUnavailable as exc:
            log.warning("job queue unavailable", job_id=job_id, error=str(exc))
            failed.append(job_id)
    if failed:
        with write_transaction(factory) as session:
            JobRepository(session).note_waiting(
                failed, "Waiting: the job queue could not be reached; it will be retried."
            )
    return failed
