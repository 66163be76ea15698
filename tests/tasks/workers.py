"""Real Celery workers for the job tests: ``python -m resched worker`` in a subprocess, on the
test database and a real broker (Redis, or the embedded mode's SQLite broker), with short
heartbeat, staleness and visibility timeouts so a lost worker is noticed in seconds."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from resched.db.repositories.jobs import Job
from resched.services.jobs import get_job
from resched.settings import Settings
from tests.accounts import settings_for
from tests.waits import PATIENCE_S, wait_until

READY_MARK = " ready."  # Celery's "celery@host ready." once the worker consumes
# Seconds: a heartbeat five times a second, a job stale after 2 s without one, and Redis
# redelivering an unacknowledged message after 3 s.
FAST_TIMINGS = {
    "job_heartbeat_seconds": 0.2,
    "job_stale_after_seconds": 2,
    "broker_visibility_timeout_seconds": 3,
}


def job_settings(database_url: str, broker_url: str | None, queue: str) -> Settings:
    return settings_for(database_url, broker_url=broker_url, job_queue=queue, **FAST_TIMINGS)


def environment(settings: Settings) -> dict[str, str]:
    """The environment a worker process reads the same settings from."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RESCHED_")}
    values: dict[str, Any] = {
        "database_url": settings.database_url,
        "job_queue": settings.job_queue,
        "log_level": "INFO",
        "worker_nice": settings.worker_nice,
        **FAST_TIMINGS,
    }
    if settings.broker_url:
        values["broker_url"] = settings.broker_url
    env.update({f"RESCHED_{k.upper()}": str(v) for k, v in values.items()})
    return env


@dataclass
class WorkerProcess:
    """One worker subprocess; its output goes to ``log`` (shown when a test fails)."""

    process: subprocess.Popen[bytes]
    log: Path
    name: str
    _output: Any = field(repr=False, default=None)

    @property
    def hostname(self) -> str:
        """Its Celery node name (resched.tasks.worker.worker_argv), for remote control."""
        return f"resched-{self.process.pid}@{socket.gethostname()}"

    @property
    def pid_mark(self) -> str:
        """How the job row names this worker (solo pool: the job runs in this very process)."""
        return f"pid {self.process.pid}"

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_ready(self) -> None:
        """Until the worker consumes (importing the solver stack takes a minute on a starved
        machine); a worker that exits instead fails at once, with its log."""

        def ready() -> bool:
            if self.process.poll() is not None:
                raise AssertionError(f"worker {self.name} exited:\n{self.text()}")
            return READY_MARK in self.text()

        wait_until(ready, what=f"worker {self.name} ready", explain=self.text)

    def log_after(self, offset: int) -> str:
        """What the worker logged after the first ``offset`` characters."""
        return self.text()[offset:]

    def kill(self) -> None:
        """SIGKILL: no shutdown, no acknowledgement, no chance to tidy up - a lost machine."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(PATIENCE_S)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        if self._output is not None:
            self._output.close()


def start_worker(
    settings: Settings, directory: Path, name: str, *extra: str, embedded: bool = False
) -> WorkerProcess:
    """A worker with ``settings`` (solo pool: the job runs in the process a test kills),
    working in ``directory`` (where the embedded broker and beat files go)."""
    directory.mkdir(parents=True, exist_ok=True)
    log = directory / f"{name}.log"
    output = log.open("wb")
    if embedded:
        args = ["--embedded", f"--parent-pid={os.getpid()}"]
    else:
        args = ["--pool=solo", "--concurrency=1"]
    process = subprocess.Popen(
        [sys.executable, "-m", "resched", "worker", *args, *extra],
        cwd=directory,
        env=environment(settings),
        stdout=output,
        stderr=subprocess.STDOUT,
    )
    return WorkerProcess(process, log, name, output)


def wait_for_job(
    factory: sessionmaker[Session],
    job_id: int,
    condition: Callable[[Job], bool],
    what: str = "the condition",
) -> Job:
    """The job's row once ``condition`` holds for it (polled, with minutes of patience)."""
    seen: list[Job] = []

    def reached() -> Job | None:
        seen[:] = [get_job(factory=factory, job_id=job_id)]
        return seen[0] if condition(seen[0]) else None

    return wait_until(reached, what=f"job {job_id} at {what}", explain=lambda: str(seen))


def finished(job: Job) -> bool:
    return job.status.finished
