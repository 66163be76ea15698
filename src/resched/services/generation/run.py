"""Running a generation: read the problem, solve it with progress and cancel, store a draft.

The solve runs outside any database transaction (it may take minutes); the problem is read in
one read transaction before it and the draft written in one write transaction after it. What is
stored is exactly what the solver was given and returned, even if the base changed meanwhile.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from resched.core.model import Assignment, BlockAssignment
from resched.core.solver import (
    CancelToken,
    ProgressCallback,
    SolveResult,
    SolveStatus,
)
from resched.core.solver.plan import RotationPlan
from resched.core.solver.shifts import ShiftProblem, ShiftSchedule
from resched.core.solver.shifts.spreads import measure_range_fairness
from resched.services.audit import ActorLike
from resched.services.common import SessionFactory, read
from resched.services.generation.chains import StoredChain, chains_in
from resched.services.generation.inputs import Base, load_base, plan_problem, shift_problem
from resched.services.generation.outcome import (
    STORED_STATUSES,
    GenerationOutcome,
    StoredFinding,
)
from resched.services.generation.specs import GenerationSpec, PlanSpec, YearSpec, spec_json
from resched.services.generation.store import store_draft
from resched.services.generation.year import BlockCallback, run_year

NOTHING_STORED = {
    SolveStatus.INFEASIBLE: "No schedule exists under these requirements; nothing was stored.",
    SolveStatus.TIMEOUT: (
        "The time limit passed before any schedule was found; nothing was stored. "
        "Try a longer time limit."
    ),
    SolveStatus.CANCELLED: "Cancelled; nothing was stored.",
}


def run_generation(
    *,
    factory: SessionFactory,
    spec: GenerationSpec,
    actor: ActorLike,
    on_progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    on_block: BlockCallback | None = None,
) -> GenerationOutcome:
    """Solve ``spec``; a feasible or optimal result is stored as a new draft (flagged when the
    validator found violations). Infeasible, timed-out and cancelled runs store nothing and
    say why. Raises NotFound/Invalid when the data cannot make a problem. A whole year
    (year.py) calls ``on_block`` after each block."""
    if isinstance(spec, YearSpec):
        return run_year(
            factory=factory,
            spec=spec,
            actor=actor,
            on_progress=on_progress,
            on_block=on_block,
            cancel=cancel,
        )
    with read(factory) as session:
        base = load_base(session, spec.year_id)
        if isinstance(spec, PlanSpec):
            problem = plan_problem(session, spec, base)
        else:
            shifts = shift_problem(session, spec, base)
    # The searches load ortools: imported here, in the worker or CLI that solves, so the web
    # process (which imports this package to enqueue and read generations) starts without it;
    # and only the one asked for (a plan does not load the shift solver's modules).
    if isinstance(spec, PlanSpec):
        from resched.core.solver.plan import plan_rotations

        planned = plan_rotations(problem, spec.config, on_progress=on_progress, cancel=cancel)
        return _finish(factory, spec, base, planned, _plan_cells(planned), [], actor)
    from resched.core.solver.shifts import schedule_shifts

    scheduled = schedule_shifts(shifts, spec.config, on_progress=on_progress, cancel=cancel)
    found = scheduled.solution.warnings if scheduled.solution is not None else ()
    warnings = [StoredFinding.of(f) for f in found]
    fairness = _fairness(shifts, scheduled)
    rows = _shift_rows(scheduled)
    chains = chains_in(shifts, rows) if scheduled.solution is not None else None
    return _finish(factory, spec, base, scheduled, rows, warnings, actor, fairness, chains)


def _fairness(problem: ShiftProblem, result: SolveResult[ShiftSchedule]) -> dict[str, Any] | None:
    """The range's spreads and call gaps, for the draft's review (None without a schedule)."""
    if result.solution is None or result.status not in STORED_STATUSES:
        return None
    return measure_range_fairness(problem, result.solution.assignments).to_json()


def _plan_cells(result: SolveResult[RotationPlan]) -> tuple[BlockAssignment, ...]:
    return () if result.solution is None else result.solution.assignments


def _shift_rows(result: SolveResult[ShiftSchedule]) -> tuple[Assignment, ...]:
    return () if result.solution is None else result.solution.assignments


def _finish[T](
    factory: SessionFactory,
    spec: GenerationSpec,
    base: Base,
    result: SolveResult[T],
    generated: tuple[BlockAssignment, ...] | tuple[Assignment, ...],
    warnings: list[StoredFinding],
    actor: ActorLike,
    fairness: dict[str, Any] | None = None,
    chains: tuple[StoredChain, ...] | None = None,
) -> GenerationOutcome:
    violations = [StoredFinding.violation(v) for v in result.violations]
    store = result.status in STORED_STATUSES and result.solution is not None
    outcome = GenerationOutcome(
        kind=spec.kind,
        status=result.status,
        message=_message(result, store, len(violations)),
        objective=result.objective,
        best_bound=result.best_bound,
        gap=result.gap,
        seconds=result.wall_time,
        # A schedule that is not stored (cancelled) has no penalties or findings to review.
        penalties=result.penalties if store else (),
        conflicts=result.conflicts,
        findings=tuple(violations + warnings) if store else (),
        statistics=dict(result.statistics),
        parameters=spec_json(spec),
        fairness=fairness if store else None,
        chains=chains if store else None,
    )
    if not store:
        return outcome
    version_id = store_draft(
        factory=factory, spec=spec, base=base, generated=generated, outcome=outcome, actor=actor
    )
    return replace(outcome, version_id=version_id)


def _message[T](result: SolveResult[T], stored: bool, violations: int) -> str:
    if not stored:
        return NOTHING_STORED.get(result.status, "Nothing was stored.")
    # The article agrees with the word: "An optimal schedule", "A feasible schedule".
    quality = "An optimal" if result.status is SolveStatus.OPTIMAL else "A feasible"
    if violations:
        return (
            f"{quality} schedule was stored as a draft, but the validator found "
            f"{violations} violation(s): it can be published only with a reason."
        )
    return f"{quality} schedule was stored as a draft; the validator found no violations."
