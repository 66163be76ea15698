"""What a worker needs besides the task code: the database, the job policy and the queue.

Built on first use inside the worker process (never at import: a prefork child must open its
own database connections, not inherit the parent's).
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kombu.exceptions import OperationalError as BrokerError

from resched.db.session import create_engine_for, make_session_factory
from resched.services.common import SessionFactory
from resched.services.jobs import JobPolicy, QueueUnavailable
from resched.settings import VAR_DIR, Settings

if TYPE_CHECKING:
    from sqlalchemy import Engine

TASK_PREFIX = "resched.jobs."


def task_name(kind: str) -> str:
    return TASK_PREFIX + kind


def policy_for(settings: Settings) -> JobPolicy:
    return JobPolicy(
        stale_after=dt.timedelta(seconds=settings.job_stale_after_seconds),
        requeue_after=dt.timedelta(seconds=settings.job_requeue_after_seconds),
        give_up_after=dt.timedelta(hours=settings.job_give_up_after_hours),
        max_attempts=settings.job_max_attempts,
    )


class CeleryQueue:
    """services.jobs.JobQueue on a Celery app: the job id goes to the task of its kind."""

    def __init__(self, app: Any, queue: str, broker_dir: Path | None) -> None:
        self._app = app
        self._queue = queue
        self._broker_dir = broker_dir
        # What "the broker is unreachable" looks like for this transport (redis errors for
        # Redis, SQLAlchemy's for the embedded broker); connection_for_write does not connect.
        self._errors = (BrokerError, OSError, *app.connection_for_write().connection_errors)

    def enqueue(self, job_id: int, kind: str) -> None:
        if self._broker_dir is not None:
            # The embedded broker is a SQLite file: SQLite creates files, not directories.
            self._broker_dir.mkdir(parents=True, exist_ok=True)
        try:
            self._app.send_task(task_name(kind), args=[job_id], queue=self._queue, retry=True)
        except self._errors as exc:
            raise QueueUnavailable(str(exc)) from exc


class JobRuntime:
    def __init__(self, settings: Settings, app: Any) -> None:
        self.settings = settings
        self.policy = policy_for(settings)
        broker_dir = None if settings.broker_url else VAR_DIR
        self.queue = CeleryQueue(app, settings.job_queue, broker_dir)
        self.heartbeat_seconds = settings.job_heartbeat_seconds
        self._lock = threading.Lock()
        self._engine: Engine | None = None
        self._factory: SessionFactory | None = None

    @property
    def factory(self) -> SessionFactory:
        with self._lock:
            if self._factory is None:
                self._engine = create_engine_for(self.settings.database_url)
                self._factory = make_session_factory(self._engine)
            return self._factory

    def use_factory(self, factory: SessionFactory) -> None:
        """Run on an existing session factory (an app and its worker in one process)."""
        with self._lock:
            self._factory = factory

    def dispose(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine.dispose()
            self._engine = None
            self._factory = None
