"""The generation job: a rotation plan or the shifts of a range, solved on a worker.

The solver reports progress on its own threads; the handler turns each event into the job's
progress (time used of the time limit: the one honest fraction of a search whose end is not
known), a sentence with the best objective, the bound and the gap, and the same figures as the
job's details (what the Generate page and ``GET /api/v1/generations/{id}`` show). Cancel
reaches the solver through the job's CancelToken (set by the heartbeat, polled by the solver's
watchdog). A solve that stores nothing (infeasible, out of time) fails the job but keeps the
solver's report as its result: the conflicts are the explanation the coordinator needs.
"""

from __future__ import annotations

from typing import Any

from resched.core.solver import ProgressEvent, SolveStatus
from resched.core.solver.result import relative_gap
from resched.services.generation import run_generation, spec_from_json
from resched.services.generation.outcome import report_json
from resched.tasks.runner import JobCancelled, JobContext, Outcome

BUILDING_SHARE = 0.05  # progress shown while the problem is read and the model built


def describe_search(event: ProgressEvent) -> str:
    if event.objective is None:
        return f"Searching for a first schedule ({event.elapsed_s:.0f} s)."
    gap = relative_gap(event.objective, event.bound)
    shown = "" if gap is None else f", gap {gap:.0%}"
    return (
        f"Best penalty {event.objective:g} after {event.solutions} solution(s){shown} "
        f"({event.elapsed_s:.0f} s)."
    )


def search_details(event: ProgressEvent) -> dict[str, Any]:
    """The figures of the search so far, as the job's details (JSON)."""
    return {
        "objective": event.objective,
        "bound": event.bound,
        "gap": relative_gap(event.objective, event.bound),
        "solutions": event.solutions,
        "search_s": round(event.elapsed_s, 3),
    }


def generate(context: JobContext) -> Outcome:
    spec = spec_from_json(context.parameters)
    limit = spec.config.time_limit_s
    context.report(0.0, f"{spec.describe()}: reading the program and building the model.")

    def on_progress(event: ProgressEvent) -> None:
        share = BUILDING_SHARE + (1 - BUILDING_SHARE) * min(event.elapsed_s / limit, 0.99)
        context.report(share, describe_search(event), search_details(event))

    outcome = run_generation(
        factory=context.factory,
        spec=spec,
        actor=context.actor,
        on_progress=on_progress,
        cancel=context.cancel,
    )
    if outcome.status is SolveStatus.CANCELLED:
        raise JobCancelled
    report = {"version_id": outcome.version_id, **report_json(outcome)}
    if outcome.version_id is None:
        # Infeasible or out of time: the job did not make what it was asked for.
        reasons = "; ".join(outcome.conflicts[:3])
        message = outcome.message + (f" {reasons}" if reasons else "")
        return Outcome(message, report, failed=True)
    return Outcome(f"Draft {outcome.version_id}: {outcome.message}", report)
