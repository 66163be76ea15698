"""Jobs when the broker goes down and when a worker is killed (issue 17), on a real Celery
worker (``python -m resched worker``) and a private redis-server this module stops and starts.

- Broker down: a job submitted meanwhile (through the API) is accepted, committed and kept
  queued, and the answer says it waits for the queue; when Redis answers again the reaper
  (beat runs it every minute) hands it over and the worker, reconnected by itself, runs it.
- A worker SIGKILLed mid-solve with no other worker around: the published schedule is
  untouched, no draft is stored, and the reaper fails the job with a message saying its worker
  stopped reporting - it is not left "running". (A second worker taking the job over instead
  is tests/tasks/test_redis_worker.py.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from resched.db.repositories.jobs import Job
from resched.db.tables import JobStatus
from resched.services.jobs import JobPolicy, get_job, submit_job
from resched.services.jobs.runs import reap_stale_jobs
from resched.services.schedule_import import import_schedule
from resched.settings import Settings
from resched.tasks.app import make_job_queue
from resched.tasks.runtime import policy_for
from tests.accounts import add_user, api_client, make_app
from tests.faults.redis_server import RedisServer
from tests.schedule_data import store_program, troubled_doc
from tests.tasks.data import (
    SEARCH_WORK,
    Factory,
    block_shifts,
    demo_with_published_plan,
    snapshot,
    version_count,
)
from tests.tasks.workers import WorkerProcess, finished, job_settings, start_worker, wait_for_job
from tests.waits import wait_until

# One xdist worker runs the module, so its Redis and its two workers start once.
pytestmark = [pytest.mark.db, pytest.mark.xdist_group("fault-workers")]
WAITING = "Waiting: the job queue could not be reached"


@dataclass
class Workers:
    redis: RedisServer
    settings: Settings  # the queue of the worker that survives the outage
    worker: WorkerProcess
    victim_settings: Settings  # a queue of its own: the kill test kills its worker
    victim: WorkerProcess


@pytest.fixture(scope="module")
def workers(
    migrated_database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Workers]:
    """Both workers start at once: each takes a while to import the solver stack."""
    redis = RedisServer()
    redis.start()
    directory = tmp_path_factory.mktemp("fault-workers")
    settings = job_settings(migrated_database_url, redis.url, "faults-outage")
    victim_settings = job_settings(migrated_database_url, redis.url, "faults-kill")
    started = Workers(
        redis,
        settings,
        start_worker(settings, directory, "outage-worker"),
        victim_settings,
        start_worker(victim_settings, directory, "kill-victim"),
    )
    try:
        yield started
    finally:
        started.worker.stop()
        started.victim.stop()
        redis.stop()


def _submit(factory: Factory, settings: Settings, kind: str, parameters: dict) -> Job:  # type: ignore[type-arg]
    return submit_job(
        factory=factory,
        queue=make_job_queue(settings),
        kind=kind,
        parameters=parameters,
        actor="coordinator",
        requested_by=None,
    )


def test_a_job_submitted_while_the_broker_is_down_runs_when_it_returns(
    database_url: str, session_factory: Factory, workers: Workers
) -> None:
    workers.worker.wait_ready()
    store_program(session_factory)
    version = import_schedule(factory=session_factory, document=troubled_doc()).version
    app = make_app(database_url, broker_url=workers.redis.url, job_queue=workers.settings.job_queue)
    coordinator = add_user(session_factory, "coordinator")
    workers.redis.stop()
    try:
        with api_client(app, coordinator) as api:
            body = {"kind": "compliance_check", "parameters": {"version_id": version.id}}
            response = api.post("jobs", json=body)
        # Accepted and kept, and the answer says it waits for the queue.
        assert response.status_code == 202, response.text
        assert response.json()["status"] == "queued"
        assert WAITING in response.json()["message"]
    finally:
        app.state.engine.dispose()
        workers.redis.start()
    job_id = response.json()["id"]
    # What beat does every minute, with "queued too long" starting at once.
    policy = JobPolicy(requeue_after=dt.timedelta(0))
    queue = make_job_queue(workers.settings)
    report = reap_stale_jobs(factory=session_factory, queue=queue, policy=policy)
    assert report.requeued == [job_id]
    done = wait_for_job(session_factory, job_id, finished, what="its end after the outage")
    assert done.status is JobStatus.SUCCEEDED, (done, workers.worker.text()[-3000:])


def test_a_worker_killed_mid_solve_leaves_the_schedule_and_its_job_is_failed_plainly(
    session_factory: Factory, workers: Workers
) -> None:
    workers.victim.wait_ready()
    published = demo_with_published_plan(session_factory)
    before, versions = snapshot(session_factory, published), version_count(session_factory)
    job = _submit(
        session_factory,
        workers.victim_settings,
        "generation",
        block_shifts(session_factory, 4 * SEARCH_WORK),
    )
    wait_for_job(session_factory, job.id, _searching, what="mid-search")
    workers.victim.kill()
    # No worker is left to retry it: once its heartbeat is stale the reaper fails it.
    policy = policy_for(workers.victim_settings)
    queue = make_job_queue(workers.victim_settings)

    def reaped() -> bool:
        report = reap_stale_jobs(factory=session_factory, queue=queue, policy=policy)
        return job.id in report.failed_running

    wait_until(reaped, what=f"job {job.id} reaped")
    failed = get_job(factory=session_factory, job_id=job.id)
    assert failed.status is JobStatus.FAILED
    assert "worker stopped reporting" in failed.message
    assert snapshot(session_factory, published) == before
    assert version_count(session_factory) == versions


def _searching(job: Job) -> bool:
    assert not job.status.finished, job  # it must still be solving when the worker dies
    return "Best penalty" in job.message
