"""Jobs without a worker process, for the service, API and page tests of what submits them.

``RecordingQueue`` takes the place of the broker: it remembers the job ids it was given. The
test then plays the worker with ``work_off``, which runs the job through the same code a
Celery worker runs (claim, heartbeat thread, handler, final status) in the test's thread.
Real worker processes on a real broker are tested in tests/tasks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from resched.db.repositories.jobs import Job
from resched.services.common import SessionFactory
from resched.services.jobs import submit_job
from resched.services.jobs.kinds import JobKind
from resched.tasks.app import make_jobs_app
from resched.tasks.handlers import HANDLERS
from resched.tasks.runner import execute_job
from resched.tasks.runtime import JobRuntime
from tests.accounts import settings_for


@dataclass
class RecordingQueue:
    sent: list[tuple[int, str]] = field(default_factory=list)

    def enqueue(self, job_id: int, kind: str) -> None:
        self.sent.append((job_id, kind))


def submit_check(
    factory: SessionFactory,
    version_id: int,
    requested_by: int | None = None,
    queue: RecordingQueue | None = None,
) -> Job:
    """A compliance check of ``version_id`` submitted (and audited) as the pages submit it."""
    return submit_job(
        factory=factory,
        queue=queue or RecordingQueue(),
        kind="compliance_check",
        parameters={"version_id": version_id},
        actor=None,
        requested_by=requested_by,
    )


def inline_runtime(database_url: str, factory: SessionFactory) -> JobRuntime:
    """A worker's runtime on the test's own session factory, beating five times a second."""
    settings = settings_for(database_url, job_heartbeat_seconds=0.2)
    runtime = make_jobs_app(settings, with_tasks=False).runtime
    runtime.use_factory(factory)
    return runtime


def work_off(runtime: JobRuntime, queue: RecordingQueue) -> list[str]:
    """Run every job handed to ``queue`` so far, in order; their final statuses (or
    ``skipped`` for one that was cancelled before it started)."""
    done: list[str] = []
    while queue.sent:
        job_id, kind = queue.sent.pop(0)
        status = execute_job(runtime, job_id, HANDLERS[JobKind(kind)], worker="test-worker")
        assert isinstance(status, str), status
        done.append(status)
    return done
