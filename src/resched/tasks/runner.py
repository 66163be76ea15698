"""Running one job: claim the row, run the handler with a heartbeat beside it, record the end.

The heartbeat thread is what makes progress and cancel work whatever the handler is doing: it
writes the latest progress every ``job_heartbeat_seconds`` (one UPDATE, which also proves the
worker alive) and reads back the cancel flag, which it turns into the handler's CancelToken -
the token the solver's watchdog polls. A handler only has to report progress in memory and
pass the token on.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import DBAPIError

from resched.core.errors import DomainError
from resched.core.solver.progress import CancelToken
from resched.db.tables import JobStatus
from resched.logs import get_logger
from resched.services.audit import Actor
from resched.services.common import SessionFactory
from resched.services.jobs import Claim, JobSignal
from resched.services.jobs.runs import SYSTEM, Busy, beat_job, claim_job, finish_job
from resched.tasks.runtime import JobRuntime

log = get_logger("resched.jobs")


class JobCancelled(Exception):
    """Raised inside a handler when its job's cancel was asked for."""


@dataclass
class JobContext:
    """What a handler gets: the database, its parameters, a progress sink and the cancel token."""

    factory: SessionFactory
    parameters: dict[str, Any]
    actor: Actor  # who asked (for the audit of what the job writes), with the job as request
    cancel: CancelToken = field(default_factory=CancelToken)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _progress: float = 0.0
    _message: str = "Started."
    _details: dict[str, Any] | None = None

    def report(self, progress: float, message: str, details: dict[str, Any] | None = None) -> None:
        """Progress 0-1, a short sentence and, for clients that show figures, the figures
        behind it (JSON values; None keeps the last ones). Cheap (memory only): call it as
        often as useful."""
        with self._lock:
            self._progress, self._message = progress, message
            if details is not None:
                self._details = details

    def latest(self) -> tuple[float, str, dict[str, Any] | None]:
        with self._lock:
            return self._progress, self._message, self._details

    def stop_if_cancelled(self) -> None:
        if self.cancel.cancelled:
            raise JobCancelled


@dataclass(frozen=True, slots=True)
class Outcome:
    """How a handler ended. ``failed``: it could not make what it was asked for, but has a
    result explaining why (kept on the failed job: a generation's infeasibility report)."""

    message: str
    result: dict[str, Any] | None = None
    failed: bool = False


type Handler = Callable[[JobContext], Outcome]


class Heartbeat:
    """A thread that writes progress and reads the cancel flag until the handler returns."""

    def __init__(self, runtime: JobRuntime, claim: Claim, context: JobContext) -> None:
        self._runtime = runtime
        self._claim = claim
        self._context = context
        self._done = threading.Event()
        self.lost = False
        self._thread = threading.Thread(target=self._run, name=f"job-{claim.job.id}", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._done.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._done.wait(self._runtime.heartbeat_seconds):
            progress, message, details = self._context.latest()
            try:
                signal = beat_job(
                    factory=self._runtime.factory,
                    claim=self._claim,
                    progress=progress,
                    message=message,
                    details=details,
                )
            except DBAPIError as exc:
                # A database hiccup: try again next beat. Beats missed for stale_after make
                # the job stale, which is the truth if the database stays away.
                log.warning("job heartbeat failed", job_id=self._claim.job.id, error=str(exc))
                continue
            if signal is not JobSignal.CONTINUE:
                self.lost = signal is JobSignal.LOST
                self._context.cancel.cancel()


def execute_job(runtime: JobRuntime, job_id: int, handler: Handler, worker: str) -> str | Busy:
    """Run the job unless it is over (``skipped``) or another execution holds it (Busy: the
    task looks again later). Returns the final status, or ``lost`` when the row was taken
    from this execution while it ran."""
    claim = claim_job(
        factory=runtime.factory,
        job_id=job_id,
        worker=f"{worker} pid {os.getpid()}",
        policy=runtime.policy,
    )
    if isinstance(claim, Busy):
        log.info("job held by another execution; looking again", job_id=job_id)
        return claim
    if claim is None:
        log.info("job not run: finished, cancelled or unknown", job_id=job_id)
        return "skipped"
    job = claim.job
    actor = Actor(username=job.requested_by_name or SYSTEM, request_id=f"job-{job.id}")
    context = JobContext(factory=runtime.factory, parameters=job.parameters, actor=actor)
    with Heartbeat(runtime, claim, context) as heartbeat:
        status, outcome = _run_handler(handler, context, claim)
    if heartbeat.lost:
        log.warning("job taken over or reaped while running; outcome dropped", job_id=job_id)
        return "lost"
    finish_job(
        factory=runtime.factory,
        claim=claim,
        status=status,
        message=outcome.message,
        result=outcome.result,
    )
    return status.value


def _run_handler(handler: Handler, context: JobContext, claim: Claim) -> tuple[JobStatus, Outcome]:
    job = claim.job
    try:
        outcome = handler(context)
    except JobCancelled:
        return JobStatus.CANCELLED, Outcome(_cancelled(context))
    except DomainError as exc:
        # The request was wrong for the data as it is now (a version deleted since): the
        # user's to fix, said in their words.
        return JobStatus.FAILED, Outcome(f"Failed: {exc.message}")
    except Exception as exc:
        # The job boundary, like a 500 handler: the traceback goes to the log, the job row
        # says it failed, and the worker lives on to take the next job.
        log.exception("job failed", job_id=job.id, kind=job.kind, attempt=claim.attempt)
        return JobStatus.FAILED, Outcome(f"Failed: internal error ({type(exc).__name__}).")
    if context.cancel.cancelled:
        return JobStatus.CANCELLED, Outcome(_cancelled(context))
    return (JobStatus.FAILED if outcome.failed else JobStatus.SUCCEEDED), outcome


def _cancelled(context: JobContext) -> str:
    progress, _, _ = context.latest()
    return f"Cancelled at {progress:.0%}."
