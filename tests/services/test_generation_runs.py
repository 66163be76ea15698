"""Generations as background jobs: a run is a ``generation`` job whose row is its state -
queued, running with the search figures of the heartbeat, finished with the outcome (a draft,
or the explanation of why none exists), cancelled, failed - and one key makes one run."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session, sessionmaker

from resched.core.errors import NotFound
from resched.core.model import ScheduleStatus
from resched.core.solver import SolveStatus
from resched.db.tables import JobStatus, UserRole
from resched.services.generation import GenerationKind, GenerationRequest, make_spec, spec_json
from resched.services.jobs import Claim, JobPolicy, JobSignal, get_job, get_job_result, submit_job
from resched.services.jobs.generations import (
    GenerationRun,
    RunState,
    cancel_generation,
    get_generation_run,
    start_generation,
)
from resched.services.jobs.runs import beat_job, claim_job
from tests.accounts import add_user
from tests.generation_data import (
    FAST,
    WEEK_END,
    WEEK_START,
    Tiny,
    everyone_away,
    store_tiny,
    store_version,
)
from tests.job_helpers import RecordingQueue, inline_runtime, work_off

pytestmark = pytest.mark.db
Factory = sessionmaker[Session]


@pytest.fixture
def tiny(session_factory: Factory) -> Tiny:
    tiny = store_tiny(session_factory)
    store_version(session_factory, tiny, status=ScheduleStatus.PUBLISHED)
    return tiny


@pytest.fixture
def queue() -> RecordingQueue:
    return RecordingQueue()


def _start(
    factory: Factory, queue: RecordingQueue, user: int | None = None, key: str | None = None
) -> GenerationRun:
    spec = make_spec(
        factory=factory,
        request=GenerationRequest(
            GenerationKind.SHIFTS, limits=FAST, start=WEEK_START, end=WEEK_END
        ),
    )
    return start_generation(
        factory=factory,
        queue=queue,
        spec=spec,
        actor="chief",
        requested_by=user,
        idempotency_key=key,
    )


def _claim(factory: Factory, job_id: int) -> Claim:
    claim = claim_job(factory=factory, job_id=job_id, worker="w", policy=JobPolicy())
    assert isinstance(claim, Claim)
    return claim


def test_a_run_is_a_job_solved_by_a_worker_into_a_draft(
    session_factory: Factory, database_url: str, tiny: Tiny, queue: RecordingQueue
) -> None:
    chief = add_user(session_factory, UserRole.COORDINATOR, username="chief")
    run = _start(session_factory, queue, chief)
    assert queue.sent == [(run.id, "generation")]
    job = get_job(factory=session_factory, job_id=run.id)
    assert job.parameters == spec_json(run.spec)
    assert (run.state, run.started_by, run.progress.elapsed_s) == (RunState.QUEUED, "chief", 0)

    assert work_off(inline_runtime(database_url, session_factory), queue) == ["succeeded"]
    done = get_generation_run(factory=session_factory, run_id=run.id)
    assert done.state is RunState.FINISHED
    assert done.outcome is not None
    assert done.outcome.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)
    assert done.outcome.version_id is not None
    assert done.progress.objective == done.outcome.objective
    assert done.progress.bound == done.outcome.best_bound
    assert done.progress.elapsed_s > 0


def test_a_running_run_shows_the_figures_of_its_heartbeat_and_cancels_through_it(
    session_factory: Factory, tiny: Tiny, queue: RecordingQueue
) -> None:
    run = _start(session_factory, queue)
    claim = _claim(session_factory, run.id)
    figures = {"objective": 12.0, "bound": 9.0, "gap": 0.25, "solutions": 3, "search_s": 1.5}
    signal = beat_job(
        factory=session_factory,
        claim=claim,
        progress=0.4,
        message="Best penalty 12 after 3 solution(s), gap 25%.",
        details=figures,
    )
    assert signal is JobSignal.CONTINUE
    running = get_generation_run(factory=session_factory, run_id=run.id)
    assert running.state is RunState.RUNNING
    p = running.progress
    assert (p.objective, p.bound, p.solutions, p.gap) == (12.0, 9.0, 3, 0.25)
    assert running.message.startswith("Best penalty 12")

    cancelling = cancel_generation(factory=session_factory, run_id=run.id, actor="chief")
    assert (cancelling.state, cancelling.cancel_requested) == (RunState.RUNNING, True)
    again = beat_job(factory=session_factory, claim=claim, progress=0.5, message="still")
    assert again is JobSignal.CANCEL
    # A beat without figures keeps the last ones.
    assert get_generation_run(factory=session_factory, run_id=run.id).progress.objective == 12.0


def test_a_queued_run_cancelled_never_starts(
    session_factory: Factory, database_url: str, tiny: Tiny, queue: RecordingQueue
) -> None:
    first = _start(session_factory, queue)
    second = _start(session_factory, queue)
    cancelled = cancel_generation(factory=session_factory, run_id=second.id, actor="chief")
    assert cancelled.state is RunState.FINISHED
    assert cancelled.outcome is not None
    assert cancelled.outcome.status is SolveStatus.CANCELLED
    assert cancelled.outcome.message == "Cancelled; nothing was stored."
    assert work_off(inline_runtime(database_url, session_factory), queue) == [
        "succeeded",
        "skipped",
    ]
    assert get_generation_run(factory=session_factory, run_id=first.id).outcome is not None
    # Cancelling a run that is over is harmless.
    assert cancel_generation(factory=session_factory, run_id=first.id, actor="chief").outcome


def test_no_schedule_fails_the_job_and_keeps_the_explanation(
    session_factory: Factory, database_url: str, tiny: Tiny, queue: RecordingQueue
) -> None:
    everyone_away(session_factory, tiny, dt.date(2026, 7, 8))
    run = _start(session_factory, queue)
    assert work_off(inline_runtime(database_url, session_factory), queue) == ["failed"]
    job = get_job(factory=session_factory, job_id=run.id)
    assert job.status is JobStatus.FAILED
    assert "nothing was stored" in job.message
    assert get_job_result(factory=session_factory, job_id=run.id)["status"] == "infeasible"
    done = get_generation_run(factory=session_factory, run_id=run.id)
    assert done.state is RunState.FINISHED
    assert done.outcome is not None
    assert (done.outcome.status, done.outcome.version_id) == (SolveStatus.INFEASIBLE, None)
    assert any("Jul 8" in line for line in done.outcome.conflicts), done.outcome.conflicts


def test_data_that_cannot_make_a_problem_fails_the_run(
    session_factory: Factory, database_url: str, queue: RecordingQueue
) -> None:
    store_tiny(session_factory)  # no rotation plan: shifts cannot be generated
    run = _start(session_factory, queue)
    assert work_off(inline_runtime(database_url, session_factory), queue) == ["failed"]
    failed = get_generation_run(factory=session_factory, run_id=run.id)
    assert (failed.state, failed.outcome) == (RunState.FAILED, None)
    assert failed.error is not None
    assert "no rotation plan" in failed.error


def test_one_key_is_one_run_per_user(
    session_factory: Factory, tiny: Tiny, queue: RecordingQueue
) -> None:
    chief = add_user(session_factory, UserRole.COORDINATOR)
    other = add_user(session_factory, UserRole.COORDINATOR)
    first = _start(session_factory, queue, chief, key="form-1")
    assert _start(session_factory, queue, chief, key="form-1").id == first.id
    assert _start(session_factory, queue, other, key="form-1").id != first.id
    assert len(queue.sent) == 2


def test_unknown_runs_and_other_kinds_of_job_are_not_found(
    session_factory: Factory, tiny: Tiny, queue: RecordingQueue
) -> None:
    with pytest.raises(NotFound):
        get_generation_run(factory=session_factory, run_id=999)
    export = submit_job(
        factory=session_factory,
        queue=queue,
        kind="export",
        parameters={"version_id": store_version(session_factory, tiny)},
        actor=None,
        requested_by=None,
    )
    with pytest.raises(NotFound, match=f"generation {export.id} not found"):
        get_generation_run(factory=session_factory, run_id=export.id)
    with pytest.raises(NotFound):
        cancel_generation(factory=session_factory, run_id=export.id, actor="chief")


def test_the_outcome_message_agrees_its_article_with_the_quality() -> None:
    from resched.core.solver import SolveResult, SolveStatus
    from resched.services.generation.run import _message

    optimal = _message(SolveResult(SolveStatus.OPTIMAL, solution=None), True, 0)
    assert optimal.startswith("An optimal schedule was stored as a draft")
    feasible = _message(SolveResult(SolveStatus.FEASIBLE, solution=None), True, 2)
    assert feasible.startswith("A feasible schedule was stored as a draft")
