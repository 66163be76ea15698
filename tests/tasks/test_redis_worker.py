"""Jobs on a real Celery worker and a real Redis (the production set-up): a generation runs
with live progress, a cancel stops a running solve, one idempotency key makes one execution
however often it is submitted or delivered, and a worker killed mid-job hands the job to
another worker while the published schedule stays untouched."""

from __future__ import annotations

import pytest

from resched.db.repositories.jobs import Job
from resched.db.tables import JobStatus
from resched.services.audit import list_audit_events
from resched.services.jobs import JobQueue, get_job, get_job_result, request_cancel, submit_job
from resched.services.schedule_import import import_schedule
from resched.settings import Settings
from resched.tasks.app import make_celery, make_job_queue
from resched.tasks.worker import EMBEDDED_READY
from tests.schedule_data import store_program, troubled_doc
from tests.tasks.conftest import Started
from tests.tasks.data import (
    SEARCH_WORK,
    Factory,
    block_shifts,
    demo_with_published_plan,
    snapshot,
    version_count,
)
from tests.tasks.workers import WorkerProcess, finished, wait_for_job
from tests.waits import PATIENCE_S, wait_until

pytestmark = pytest.mark.db


def _submit(
    factory: Factory, queue: JobQueue, kind: str, parameters: dict, key: str | None = None
) -> Job:  # type: ignore[type-arg]
    return submit_job(
        factory=factory,
        queue=queue,
        kind=kind,
        parameters=parameters,
        actor="coordinator",
        requested_by=None,
        idempotency_key=key,
    )


def _searching(job: Job) -> bool:
    """The solver has found a first schedule and is improving it: mid-search."""
    return job.status.finished or "Best penalty" in job.message


def test_a_generation_runs_on_a_worker_and_reports_progress(
    factory: Factory, redis_queue: JobQueue
) -> None:
    published = demo_with_published_plan(factory)
    before = snapshot(factory, published)
    # A four-week block plus 27 days of look-ahead, searched for a fixed amount of work: the
    # same search on a loaded CI machine as on an idle one, only slower.
    job = _submit(factory, redis_queue, "generation", block_shifts(factory, SEARCH_WORK))
    seen: list[tuple[float, str]] = []

    def watch(current: Job) -> bool:
        if current.status is JobStatus.RUNNING:
            seen.append((current.progress, current.message))
        return current.status.finished

    done = wait_for_job(factory, job.id, watch, what="the end")
    assert done.status is JobStatus.SUCCEEDED, done
    assert (done.progress, done.attempts) == (1.0, 1)
    progress = [p for p, _ in seen]
    assert progress == sorted(progress), seen
    assert len(set(progress)) >= 3, seen
    assert any("Best penalty" in message for _, message in seen), seen
    result = get_job_result(factory=factory, job_id=job.id)
    assert result["status"] in {"feasible", "optimal"}
    assert result["version_id"] != published
    assert snapshot(factory, published) == before


def test_cancel_stops_a_running_solve_and_stores_nothing(
    factory: Factory, redis_queue: JobQueue
) -> None:
    published = demo_with_published_plan(factory)
    before, versions = snapshot(factory, published), version_count(factory)
    # No work budget: only the cancel ends this search (the solver's safety limit is ten
    # minutes, twice what wait_for_job waits, so a cancel that does not stop it fails here).
    job = _submit(factory, redis_queue, "generation", block_shifts(factory, None))
    wait_for_job(factory, job.id, _searching, what="mid-search")
    request_cancel(factory=factory, job_id=job.id, actor="coordinator")
    done = wait_for_job(factory, job.id, finished, what="the end")
    assert done.status is JobStatus.CANCELLED, done
    assert version_count(factory) == versions  # a cancelled generation stores no draft
    assert snapshot(factory, published) == before


def test_compliance_and_export_jobs_store_their_results(
    factory: Factory, redis_queue: JobQueue
) -> None:
    store_program(factory)
    version = import_schedule(factory=factory, document=troubled_doc()).version
    check = _submit(factory, redis_queue, "compliance_check", {"version_id": version.id})
    export = _submit(factory, redis_queue, "export", {"version_id": version.id})
    for job in (check, export):
        assert wait_for_job(factory, job.id, finished).status is JobStatus.SUCCEEDED
    report = get_job_result(factory=factory, job_id=check.id)["report"]
    assert report["format"] == "resched.compliance/v1"
    assert not report["compliant"]
    assert {f["rule"] for f in report["findings"]} >= {"hours-80", "day-off-1-in-7"}
    document = get_job_result(factory=factory, job_id=export.id)["document"]
    assert document["format"] == "resched.schedule/v1"
    assert document["assignments"]


def test_one_key_is_one_execution_however_often_submitted_or_delivered(
    factory: Factory, redis_queue: JobQueue, redis_worker: WorkerProcess
) -> None:
    published = demo_with_published_plan(factory)
    versions = version_count(factory)
    log_start = len(redis_worker.text())
    parameters = block_shifts(factory, SEARCH_WORK)
    first = _submit(factory, redis_queue, "generation", parameters, key="gen-block-1")
    again = _submit(factory, redis_queue, "generation", parameters, key="gen-block-1")
    assert again.id == first.id
    # The broker delivering the same message twice more (as a redelivery would).
    redis_queue.enqueue(first.id, "generation")
    redis_queue.enqueue(first.id, "generation")
    done = wait_for_job(factory, first.id, finished, what="the end")
    assert done.status is JobStatus.SUCCEEDED, done
    assert done.attempts == 1
    # A later job, queued behind the extra deliveries on this one-job-at-a-time worker: once it
    # has run, they have been taken off the queue. Each of them (and any redelivery after the
    # visibility timeout) says it did not run the job; one that found the job still running
    # says so when it looks again. Only then is "nothing more happened" proven.
    later = _submit(factory, redis_queue, "export", {"version_id": published})
    assert wait_for_job(factory, later.id, finished).status is JobStatus.SUCCEEDED
    wait_until(
        lambda: _skipped(redis_worker.log_after(log_start), first.id) >= 2,
        what="both extra deliveries skipped",
        explain=lambda: redis_worker.log_after(log_start),
    )
    assert version_count(factory) == versions + 1  # one execution, one draft
    events = list_audit_events(factory=factory, entity="job", entity_id=first.id).items
    assert sorted(e.action for e in events) == ["submit", "succeeded"]
    assert get_job(factory=factory, job_id=first.id).attempts == 1


def _skipped(log: str, job_id: int) -> int:
    """Deliveries of the job that the worker logged as not run (resched.tasks.runner)."""
    mark = f"job_id={job_id}"
    return sum(1 for line in log.splitlines() if "job not run" in line and mark in line.split())


def test_a_worker_killed_mid_job_hands_it_to_another_worker(
    factory: Factory, started: Started, victim: WorkerProcess, redis_worker: WorkerProcess
) -> None:
    # A worker on a queue of its own takes the job, and is killed mid-search.
    settings = started.victim_settings
    published = demo_with_published_plan(factory)
    before = snapshot(factory, published)
    job = _submit(
        factory, make_job_queue(settings), "generation", block_shifts(factory, 2 * SEARCH_WORK)
    )
    running = wait_for_job(factory, job.id, _searching, what="mid-search")
    assert victim.pid_mark in (running.worker or "")
    # Another worker serves that queue too (as one on a second machine would), then the
    # victim dies without a word: no acknowledgement, no status update.
    _add_queue(settings, redis_worker)
    victim.kill()
    done = wait_for_job(factory, job.id, finished, what="the retry's end")
    assert done.status is JobStatus.SUCCEEDED, (done, victim.text(), redis_worker.text()[-3000:])
    assert done.attempts == 2
    assert redis_worker.pid_mark in (done.worker or "")
    assert snapshot(factory, published) == before


def _add_queue(settings: Settings, worker: WorkerProcess) -> None:
    control = make_celery(settings, with_tasks=False).control
    replies = control.add_consumer(
        settings.job_queue, destination=[worker.hostname], reply=True, timeout=PATIENCE_S
    )
    assert replies, "the running worker did not answer the remote-control request"


def test_a_standalone_worker_shows_celery_banner(redis_worker: WorkerProcess) -> None:
    """`resched worker` keeps Celery's banner (its configuration, for operators); only the
    embedded worker of `resched serve` starts in one line (test_embedded.py)."""
    log = redis_worker.text()
    assert "[config]" in log, log
    assert "[queues]" in log, log
    assert EMBEDDED_READY not in log, log
