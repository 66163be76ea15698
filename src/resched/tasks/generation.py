"""The generation job: a rotation plan or the shifts of a range, solved on a worker.

The solver reports progress on its own threads; the handler turns each event into the job's
progress (time used of the time limit: the one honest fraction of a search whose end is not
known), a sentence with the best objective, the bound and the gap, and the same figures as the
job's details (what the Generate page and ``GET /api/v1/generations/{id}`` show). Cancel
reaches the solver through the job's CancelToken (set by the heartbeat, polled by the solver's
watchdog). A solve that stores nothing (infeasible, out of time) fails the job but keeps the
solver's report as its result: the conflicts are the explanation the coordinator needs.
A whole year (services/generation/year.py) also reports each finished block (its status and
gap, in the details' ``blocks``); its cancel stops the block being solved and stores nothing.
"""

from __future__ import annotations

from typing import Any

from resched.core.solver import ProgressEvent, SolveStatus
from resched.core.solver.result import relative_gap
from resched.services.generation import run_generation, spec_from_json
from resched.services.generation.outcome import BlockReport, GenerationKind, report_json
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

    # A whole year's finished blocks (BlockReport.json), shown with every later heartbeat.
    blocks: list[dict[str, Any]] = []
    shown = [0.0]  # the progress shown so far: time and blocks both advance it, never back

    def advance(share: float) -> float:
        shown[0] = max(shown[0], share)
        return shown[0]

    def on_progress(event: ProgressEvent) -> None:
        share = advance(BUILDING_SHARE + (1 - BUILDING_SHARE) * min(event.elapsed_s / limit, 0.99))
        prefix = f"Block {len(blocks) + 1}: " if spec.kind is GenerationKind.YEAR else ""
        details = search_details(event) | ({"blocks": list(blocks)} if blocks else {})
        context.report(share, prefix + describe_search(event), details)

    def on_block(report: BlockReport, total: int) -> None:
        blocks.append(report.json())
        gap = "-" if report.gap is None else f"{report.gap:.1%}"
        context.report(
            advance(BUILDING_SHARE + (1 - BUILDING_SHARE) * 0.99 * len(blocks) / total),
            f"Block {report.number} done ({len(blocks)} of {total}): {report.status.value}, "
            f"gap {gap}.",
            {"blocks": list(blocks), "blocks_done": len(blocks), "blocks_total": total},
        )

    outcome = run_generation(
        factory=context.factory,
        spec=spec,
        actor=context.actor,
        on_progress=on_progress,
        cancel=context.cancel,
        on_block=on_block,
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
