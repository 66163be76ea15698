"""Generations as background jobs: start one, read its state and progress, cancel it.

A generation started from the API or the Generate page is a ``generation`` job
(resched.services.jobs): the checked spec is the job's parameters, a worker solves it
(resched.tasks.generation), and the job row carries everything a client shows - the state, the
search figures (the job's details, written by the worker's heartbeat) and the outcome (the
job's result). A run's id is its job's id. The web process never solves; it writes a row and
reads it back. The CLI runs ``run_generation`` in its own process instead: a progress bar in a
terminal needs no worker.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from resched.core.errors import Conflict, NotFound
from resched.core.solver import SolveStatus
from resched.core.solver.result import relative_gap
from resched.db.repositories.jobs import Job
from resched.db.tables import JobStatus
from resched.db.types import utc_now
from resched.services.audit import ActorLike
from resched.services.common import SessionFactory
from resched.services.generation import GenerationOutcome, GenerationSpec, spec_from_json, spec_json
from resched.services.generation.outcome import (
    STORED_STATUSES,
    BlockReport,
    outcome_from_report,
)
from resched.services.generation.run import NOTHING_STORED
from resched.services.jobs.kinds import JobKind
from resched.services.jobs.queue import JobQueue, get_job, read_result, request_cancel, submit_job

ENTITY = "generation"


class RunState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    FINISHED = "finished"  # the outcome says how: stored, infeasible, timeout, cancelled
    FAILED = "failed"  # the data could not make a problem, the worker was lost, or a bug

    @property
    def done(self) -> bool:
        return self in (RunState.FINISHED, RunState.FAILED)


@dataclass(frozen=True, slots=True)
class RunProgress:
    """The search so far. ``elapsed_s`` counts from the moment a worker took the job (reading
    the data and building the model included); the solver reports objective and bound."""

    elapsed_s: float
    objective: float | None = None
    bound: float | None = None
    solutions: int = 0
    blocks: tuple[BlockReport, ...] = ()  # a whole-year run's finished blocks so far

    @property
    def gap(self) -> float | None:
        return relative_gap(self.objective, self.bound)


@dataclass(frozen=True, slots=True)
class GenerationRun:
    id: int  # the job's id
    spec: GenerationSpec
    state: RunState
    message: str  # the job's latest sentence
    started_by: str | None
    created_at: dt.datetime
    progress: RunProgress
    cancel_requested: bool = False
    outcome: GenerationOutcome | None = None
    error: str | None = None

    @property
    def time_limit_s(self) -> float:
        return self.spec.config.time_limit_s


def start_generation(
    *,
    factory: SessionFactory,
    queue: JobQueue,
    spec: GenerationSpec,
    actor: ActorLike,
    requested_by: int | None,
    idempotency_key: str | None = None,
) -> GenerationRun:
    """Submit ``spec`` as a generation job; returns at once. A key this user already used
    returns that run instead of starting another (a double-submitted form solves once)."""
    job = submit_job(
        factory=factory,
        queue=queue,
        kind=JobKind.GENERATION.value,
        parameters=spec_json(spec),
        actor=actor,
        requested_by=requested_by,
        idempotency_key=_scoped(requested_by, idempotency_key),
    )
    if job.kind != JobKind.GENERATION.value:
        raise Conflict(
            "this idempotency key was used for another kind of job",
            details={"field": "idempotency_key"},
        )
    return _run(factory, job)


def get_generation_run(
    *, factory: SessionFactory, run_id: int, owner: int | None = None
) -> GenerationRun:
    """NotFound for an unknown run, a job of another kind, or (with ``owner``) someone else's."""
    return _run(factory, _job(factory, run_id, owner))


def cancel_generation(
    *, factory: SessionFactory, run_id: int, actor: ActorLike, owner: int | None = None
) -> GenerationRun:
    """A queued run never starts; a running one stops at its worker's next heartbeat and
    stores nothing. Harmless once the run is over."""
    job = _job(factory, run_id, owner)
    if not job.status.finished and not job.cancel_requested:
        try:
            job = request_cancel(factory=factory, job_id=run_id, actor=actor, owner=owner)
        except Conflict:
            job = _job(factory, run_id, owner)  # it finished meanwhile: nothing to cancel
    return _run(factory, job)


def _scoped(requested_by: int | None, key: str | None) -> str | None:
    # Keys are unique across all jobs: scoping them by kind and user keeps one client's key
    # from ever returning another user's run, or a job of another kind.
    if key is None:
        return None
    return f"{ENTITY}/{requested_by if requested_by is not None else '-'}/{key}"


def _job(factory: SessionFactory, run_id: int, owner: int | None) -> Job:
    try:
        job = get_job(factory=factory, job_id=run_id, owner=owner)
    except NotFound:
        job = None
    if job is None or job.kind != JobKind.GENERATION.value:
        raise NotFound(f"generation {run_id} not found", details={"entity": ENTITY, "id": run_id})
    return job


def _run(factory: SessionFactory, job: Job) -> GenerationRun:
    spec = spec_from_json(job.parameters)
    outcome = _outcome(job, spec, read_result(factory=factory, job=job))
    failed = job.status.finished and outcome is None
    state = {JobStatus.QUEUED: RunState.QUEUED, JobStatus.RUNNING: RunState.RUNNING}.get(
        job.status, RunState.FAILED if failed else RunState.FINISHED
    )
    return GenerationRun(
        id=job.id,
        spec=spec,
        state=state,
        message=job.message,
        started_by=job.requested_by_name,
        created_at=job.created_at,
        progress=_progress(job, outcome),
        cancel_requested=job.cancel_requested,
        outcome=outcome,
        error=job.message if failed else None,
    )


def _outcome(
    job: Job, spec: GenerationSpec, result: dict[str, Any] | None
) -> GenerationOutcome | None:
    """The solver's report (a stored draft, or why nothing was stored); a cancelled job has
    none, so it gets the outcome a cancelled solve has. None: the job failed without one."""
    if result is not None and "status" in result:
        return outcome_from_report(result.get("version_id"), result)
    if job.status is JobStatus.CANCELLED:
        return GenerationOutcome(
            kind=spec.kind,
            status=SolveStatus.CANCELLED,
            message=NOTHING_STORED[SolveStatus.CANCELLED],
            parameters=job.parameters,
        )
    return None


def _progress(job: Job, outcome: GenerationOutcome | None) -> RunProgress:
    figures = job.details or {}
    objective, bound = figures.get("objective"), figures.get("bound")
    if outcome is not None and outcome.status in STORED_STATUSES:
        # The final figures: the last heartbeat may predate the solver's last improvement.
        objective, bound = outcome.objective, outcome.best_bound
    blocks = outcome.blocks if outcome is not None else ()
    if not blocks:
        blocks = tuple(BlockReport.from_json(b) for b in figures.get("blocks", ()))
    return RunProgress(_elapsed(job), objective, bound, int(figures.get("solutions", 0)), blocks)


def _elapsed(job: Job) -> float:
    if job.started_at is None:
        return 0.0
    end = job.finished_at or utc_now()
    return max((end - job.started_at).total_seconds(), 0.0)
