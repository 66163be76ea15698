"""The Celery app: one factory, one configuration, the same tasks in every mode.

Production: RESCHED_BROKER_URL names a Redis broker; any number of ``resched worker`` processes
on any number of machines consume the same queue. Embedded (no broker URL): kombu's SQLAlchemy
transport on a SQLite file under var/, with one worker that ``resched serve`` starts itself
(resched.tasks.embedded). docs/jobs.md explains the choice.

Reliability comes from two layers. Celery's late acknowledgement keeps a message until its task
returns, so a worker that dies mid-job does not take the message with it (Redis redelivers it
after the visibility timeout; a prefork child killed mid-task is rejected and requeued). The
job row (resched.services.jobs.runs) makes every delivery after the first a no-op unless the
first execution went stale, so a redelivery never runs a job twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from celery import Celery

from resched.settings import VAR_DIR, Settings
from resched.tasks import beat
from resched.tasks.runtime import CeleryQueue, JobRuntime, task_name

EMBEDDED_BROKER_FILE = "broker.db"


@dataclass(frozen=True, slots=True)
class JobsApp:
    """A Celery app and what its tasks run on: the worker's database, policy and queue (built
    lazily, resched.tasks.runtime)."""

    celery: Celery
    runtime: JobRuntime


def embedded_broker_url(var_dir: Path = VAR_DIR) -> str:
    """kombu's SQLAlchemy transport on a SQLite file: no server, transactional hand-over.
    (SQLite creates the file, not its directory: see JobRuntime.prepare_broker.)"""
    return f"sqla+sqlite:///{(var_dir / EMBEDDED_BROKER_FILE).resolve()}"


def broker_url_for(settings: Settings) -> str:
    return settings.broker_url or embedded_broker_url()


def make_jobs_app(settings: Settings, *, with_tasks: bool = True) -> JobsApp:
    """A Celery app for ``settings`` with every job task and the beat schedule registered.
    ``with_tasks=False``: a producer only (the web app), which sends tasks by name and so
    need not import the task code and the solver behind it."""
    app = Celery("resched", broker=broker_url_for(settings), set_as_current=False)
    app.conf.update(_configuration(settings))
    runtime = JobRuntime(settings, app)
    if with_tasks:
        from resched.tasks import handlers  # the job code, and the solver behind it

        handlers.register(app, runtime)
        beat.register(app, runtime)
    return JobsApp(app, runtime)


def make_celery(settings: Settings, *, with_tasks: bool = True) -> Celery:
    return make_jobs_app(settings, with_tasks=with_tasks).celery


def make_job_queue(settings: Settings) -> CeleryQueue:
    """The queue the web app submits to (services.jobs.JobQueue)."""
    return make_jobs_app(settings, with_tasks=False).runtime.queue


def _configuration(settings: Settings) -> dict[str, Any]:
    return {
        # Acknowledge after the task returns: a worker lost mid-job leaves the message with
        # the broker. Reject (requeue) when a prefork child dies under a task, rather than
        # acknowledging it as failed. One message at a time per process: a prefetched message
        # would wait behind a long solve while another worker sits idle.
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        # The job row is the result store: no result backend to run or to fill.
        "task_ignore_result": True,
        "task_store_errors_even_if_ignored": False,
        "task_serializer": "json",
        "accept_content": ["json"],
        "task_default_queue": settings.job_queue,
        "task_create_missing_queues": True,
        "broker_connection_retry_on_startup": True,
        # A web request that submits a job must not hang on a broker that is down: a few quick
        # tries, then the job stays queued for the reaper (services.jobs.hand_over).
        "broker_connection_timeout": 3.0,
        "task_publish_retry_policy": {
            "max_retries": 2,
            "interval_start": 0.2,
            "interval_step": 0.5,
            "interval_max": 1.0,
        },
        "broker_transport_options": _transport_options(settings),
        # Our structlog configuration (resched.logs) stays in charge of the output.
        "worker_hijack_root_logger": False,
        "worker_redirect_stdouts": False,
        "timezone": settings.schedule_timezone,
        "beat_schedule": beat.beat_schedule(settings),
    }


def _transport_options(settings: Settings) -> dict[str, Any]:
    if settings.broker_url is None:
        return {}
    # Redis: how long an unacknowledged message (its worker died) waits before redelivery,
    # and how often a worker looks for such messages. kombu 5.7 looks every 10 s but scans
    # only on every 10th look (a 100 s period); one scan (a ZRANGE on a small index) every
    # tenth of the visibility timeout, at most every 10 s, costs nothing and recovers sooner.
    timeout = settings.broker_visibility_timeout_seconds
    return {
        "visibility_timeout": timeout,
        "unacked_restore_interval": max(1, min(10, timeout // 10)),
        "unacked_restore_throttle": 1,
    }


__all__ = [
    "JobsApp",
    "broker_url_for",
    "embedded_broker_url",
    "make_celery",
    "make_job_queue",
    "make_jobs_app",
    "task_name",
]
