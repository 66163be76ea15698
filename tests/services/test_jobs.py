"""The job table's guarantees, without a broker: enqueue after the commit, one job per
idempotency key, claims that cannot both win, fencing of an execution presumed dead, cancel,
and the reaper. On SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from resched.core.errors import Conflict, Invalid, NotFound
from resched.db.tables import AuditEventRow, JobRow, JobStatus
from resched.db.types import utc_now
from resched.services.jobs import (
    Claim,
    JobPolicy,
    JobSignal,
    QueueUnavailable,
    get_job,
    list_jobs,
    request_cancel,
    submit_job,
)
from resched.services.jobs.runs import (
    Busy,
    beat_job,
    claim_job,
    finish_job,
    reap_stale_jobs,
)
from resched.services.schedule_import import import_schedule
from tests.schedule_data import store_program, troubled_doc
from tests.waits import PATIENCE_S

pytestmark = pytest.mark.db
Factory = sessionmaker[Session]
POLICY = JobPolicy(
    stale_after=dt.timedelta(seconds=30),
    requeue_after=dt.timedelta(minutes=2),
    give_up_after=dt.timedelta(hours=1),
    max_attempts=2,
)


@dataclass
class RecordingQueue:
    """A JobQueue that remembers what it was given, and what the database held at that moment
    (read in a session of its own: only committed rows are visible there)."""

    factory: Factory
    sent: list[tuple[int, str]] = field(default_factory=list)
    seen_committed: list[bool] = field(default_factory=list)
    down: bool = False

    def enqueue(self, job_id: int, kind: str) -> None:
        if self.down:
            raise QueueUnavailable("connection refused")
        with self.factory() as session:
            self.seen_committed.append(session.get(JobRow, job_id) is not None)
        self.sent.append((job_id, kind))


@pytest.fixture
def version_id(session_factory: Factory) -> int:
    store_program(session_factory)
    return import_schedule(factory=session_factory, document=troubled_doc()).version.id


@pytest.fixture
def queue(session_factory: Factory) -> RecordingQueue:
    return RecordingQueue(session_factory)


def _submit(factory: Factory, queue: RecordingQueue, version_id: int, key: str | None = None):  # type: ignore[no-untyped-def]
    return submit_job(
        factory=factory,
        queue=queue,
        kind="compliance_check",
        parameters={"version_id": version_id},
        actor="coord",
        requested_by=None,
        idempotency_key=key,
    )


def _claim(factory: Factory, job_id: int, worker: str = "w1") -> Claim:
    claim = claim_job(factory=factory, job_id=job_id, worker=worker, policy=POLICY)
    assert isinstance(claim, Claim)
    return claim


def _age_heartbeat(factory: Factory, job_id: int, seconds: float) -> None:
    with factory.begin() as session:
        session.execute(
            update(JobRow)
            .where(JobRow.id == job_id)
            .values(heartbeat_at=utc_now() - dt.timedelta(seconds=seconds))
        )


def _audits(factory: Factory, action: str) -> int:
    with factory() as session:
        query = select(func.count()).where(
            AuditEventRow.entity == "job", AuditEventRow.action == action
        )
        return session.scalar(query.select_from(AuditEventRow)) or 0


def test_a_job_is_enqueued_after_its_commit_and_audited(
    session_factory: Factory, queue: RecordingQueue, version_id: int
) -> None:
    job = _submit(session_factory, queue, version_id)
    assert job.status is JobStatus.QUEUED
    assert job.parameters["version_id"] == version_id
    assert queue.sent == [(job.id, "compliance_check")]
    assert queue.seen_committed == [True]  # a worker can read every id it receives
    assert _audits(session_factory, "submit") == 1


def test_bad_parameters_are_refused_before_anything_is_stored(
    session_factory: Factory, queue: RecordingQueue, version_id: int
) -> None:
    with pytest.raises(Invalid, match="unknown job kind"):
        submit_job(
            factory=session_factory,
            queue=queue,
            kind="nope",
            parameters={},
            actor=None,
            requested_by=None,
        )
    with pytest.raises(Invalid) as error:
        submit_job(
            factory=session_factory,
            queue=queue,
            kind="export",
            parameters={"version_id": "7"},
            actor=None,
            requested_by=None,
        )
    assert error.value.details["field"] == "version_id"
    with pytest.raises(NotFound):
        _submit(session_factory, queue, version_id + 1000)
    assert queue.sent == []
    assert list_jobs(factory=session_factory).total == 0


def test_one_idempotency_key_makes_one_job_even_when_submitted_at_once(
    session_factory: Factory, queue: RecordingQueue, version_id: int
) -> None:
    ids: list[int] = []
    barrier = threading.Barrier(4)

    def submit() -> None:
        barrier.wait()
        ids.append(_submit(session_factory, queue, version_id, key="nightly-1").id)

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(PATIENCE_S)
    assert len(ids) == 4
    assert len(set(ids)) == 1
    assert list_jobs(factory=session_factory).total == 1
    assert len(queue.sent) == 1
    assert _audits(session_factory, "submit") == 1


def test_two_claims_cannot_both_win_and_a_finished_job_is_not_run_again(
    session_factory: Factory, queue: RecordingQueue, version_id: int
) -> None:
    job = _submit(session_factory, queue, version_id)
    claim = _claim(session_factory, job.id)
    again = claim_job(factory=session_factory, job_id=job.id, worker="w2", policy=POLICY)
    assert isinstance(again, Busy)
    assert 0 < again.retry_in <= 31
    assert finish_job(
        factory=session_factory,
        claim=claim,
        status=JobStatus.SUCCEEDED,
        message="done",
        result={"ok": True},
    )
    late = claim_job(factory=session_factory, job_id=job.id, worker="w2", policy=POLICY)
    assert late is None
    done = get_job(factory=session_factory, job_id=job.id)
    assert (done.status, done.attempts, done.progress) == (JobStatus.SUCCEEDED, 1, 1.0)


def test_a_stale_execution_is_taken_over_and_cannot_overwrite_its_successor(
    session_factory: Factory, queue: RecordingQueue, version_id: int
) -> None:
    job = _submit(session_factory, queue, version_id)
    first = _claim(session_factory, job.id, "w1")
    _age_heartbeat(session_factory, job.id, 60)
    second = _claim(session_factory, job.id, "w2")
    assert second.attempt == 2
    # The first worker wakes up: its heartbeat says it lost the job, its result is dropped.
    assert (
        beat_job(factory=session_factory, claim=first, progress=0.5, message="x") is JobSignal.LOST
    )
    assert not finish_job(
        factory=session_factory, claim=first, status=JobStatus.FAILED, message="x"
    )
    assert beat_job(factory=session_factory, claim=second, progress=0.5, message="half") is (
        JobSignal.CONTINUE
    )
    row = get_job(factory=session_factory, job_id=job.id)
    assert (row.status, row.progress, row.message) == (JobStatus.RUNNING, 0.5, "half")
    # One retry allowed (max_attempts=2): a third loss fails the job instead of running it.
    _age_heartbeat(session_factory, job.id, 60)
    assert claim_job(factory=session_factory, job_id=job.id, worker="w3", policy=POLICY) is None
    failed = get_job(factory=session_factory, job_id=job.id)
    assert failed.status is JobStatus.FAILED
    assert "lost 2 times" in failed.message


def test_cancel_a_queued_job_at_once_a_running_one_by_its_heartbeat(
    session_factory: Factory, queue: RecordingQueue, version_id: int
) -> None:
    queued = _submit(session_factory, queue, version_id)
    assert request_cancel(factory=session_factory, job_id=queued.id, actor="c").status is (
        JobStatus.CANCELLED
    )
    assert claim_job(factory=session_factory, job_id=queued.id, worker="w", policy=POLICY) is None
    running = _submit(session_factory, queue, version_id)
    claim = _claim(session_factory, running.id)
    flagged = request_cancel(factory=session_factory, job_id=running.id, actor="c")
    assert flagged.status is JobStatus.RUNNING
    assert flagged.cancel_requested
    assert beat_job(factory=session_factory, claim=claim, progress=0.2, message="") is (
        JobSignal.CANCEL
    )
    finish_job(factory=session_factory, claim=claim, status=JobStatus.CANCELLED, message="stop")
    with pytest.raises(Conflict, match="already cancelled"):
        request_cancel(factory=session_factory, job_id=running.id, actor="c")
    assert _audits(session_factory, "cancel") == 2


def test_someone_elses_job_is_not_found(
    session_factory: Factory, queue: RecordingQueue, version_id: int
) -> None:
    job = _submit(session_factory, queue, version_id)
    with pytest.raises(NotFound):
        get_job(factory=session_factory, job_id=job.id, owner=12345)
    with pytest.raises(NotFound):
        request_cancel(factory=session_factory, job_id=job.id, actor="x", owner=12345)
    assert list_jobs(factory=session_factory, owner=12345).total == 0


def test_the_reaper_fails_stale_running_jobs_and_leaves_live_ones(
    session_factory: Factory, queue: RecordingQueue, version_id: int
) -> None:
    stale, live = (_submit(session_factory, queue, version_id) for _ in range(2))
    _claim(session_factory, stale.id)
    _claim(session_factory, live.id)
    _age_heartbeat(session_factory, stale.id, 31)
    report = reap_stale_jobs(factory=session_factory, queue=queue, policy=POLICY)
    assert report.failed_running == [stale.id]
    reaped = get_job(factory=session_factory, job_id=stale.id)
    assert reaped.status is JobStatus.FAILED
    assert "stopped reporting" in reaped.message
    assert get_job(factory=session_factory, job_id=live.id).status is JobStatus.RUNNING
    assert _audits(session_factory, "failed") == 1


def test_a_broker_that_is_down_loses_no_job(
    session_factory: Factory, queue: RecordingQueue, version_id: int
) -> None:
    queue.down = True
    job = _submit(session_factory, queue, version_id)
    assert "could not be reached" in job.message  # the submitter is told at once
    waiting = get_job(factory=session_factory, job_id=job.id)
    assert waiting.status is JobStatus.QUEUED
    assert "could not be reached" in waiting.message
    queue.down = False
    later = utc_now() + POLICY.requeue_after + dt.timedelta(seconds=1)
    report = reap_stale_jobs(factory=session_factory, queue=queue, policy=POLICY, now=later)
    assert report.requeued == [job.id]
    assert queue.sent == [(job.id, "compliance_check")]
    # Still never picked up once give_up_after has passed: failed, not left queued forever.
    much_later = utc_now() + POLICY.give_up_after + dt.timedelta(seconds=1)
    report = reap_stale_jobs(factory=session_factory, queue=queue, policy=POLICY, now=much_later)
    assert report.failed_queued == [job.id]
    assert get_job(factory=session_factory, job_id=job.id).status is JobStatus.FAILED
