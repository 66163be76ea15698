"""Running a built CP-SAT model: parameters, progress, cancel, status and statistics.

Every solver in ``core.solver`` builds its own model and then calls ``run_model``; what the
outcome means for its domain (the plan, the penalties, the conflicts) stays with that solver.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from resched.core.errors import Invalid
from resched.core.solver.config import SolveConfig
from resched.core.solver.progress import (
    CancelToken,
    ProgressCallback,
    SearchMonitor,
    cancel_watchdog,
)
from resched.core.solver.result import SolveStatus, Statistic, relative_gap


@dataclass(frozen=True, slots=True)
class SolverRun:
    """A finished CP-SAT search. ``solver`` still holds the solution values when
    ``has_solution``."""

    status: SolveStatus
    solver: cp_model.CpSolver
    has_solution: bool
    objective: float | None
    best_bound: float | None
    gap: float | None
    statistics: dict[str, Statistic]
    wall_time: float


# A solver's own adjustment of CP-SAT parameters for its model (e.g. which subsolvers prove its
# bound best), applied after the generic SolveConfig.
ParameterTuner = Callable[[cp_model.SatParameters, SolveConfig], None]


def configure(solver: cp_model.CpSolver, config: SolveConfig) -> None:
    params = solver.parameters
    params.max_time_in_seconds = config.time_limit_s
    params.random_seed = config.seed
    params.num_workers = config.num_workers
    params.relative_gap_limit = config.relative_gap
    if config.deterministic and config.num_workers != 1:
        params.interleave_search = True


def apply_parameters(params: cp_model.SatParameters, extra: Mapping[str, object]) -> None:
    """Sets ``SolveConfig.parameters`` on ``params``, refusing what CP-SAT does not know, so a
    misspelt parameter is an error and not a silently ignored wish."""
    for name, value in extra.items():
        current: Any = getattr(params, name, None) if not name.startswith("_") else None
        repeated = hasattr(current, "extend")
        # A scalar field has a clear_<name> method, a repeated one a list-like value; anything
        # else on the object (methods, constants) is not a parameter.
        if not (repeated or hasattr(params, f"clear_{name}")):
            raise Invalid(f"unknown CP-SAT parameter {name!r}", details={"field": "parameters"})
        try:
            if repeated:
                current.clear()
                current.extend(value)
            else:
                setattr(params, name, value)
        except (TypeError, ValueError) as error:
            raise Invalid(
                f"CP-SAT parameter {name!r} cannot be {value!r}", details={"field": "parameters"}
            ) from error


def _status(raw: cp_model.CpSolverStatus, cancelled: bool) -> SolveStatus:
    if raw == cp_model.OPTIMAL:
        return SolveStatus.OPTIMAL
    if raw == cp_model.INFEASIBLE:
        return SolveStatus.INFEASIBLE
    if raw == cp_model.MODEL_INVALID:
        # Our own model builders made a model CP-SAT refuses: a bug, not a user's problem.
        raise RuntimeError("CP-SAT rejected the model as invalid")
    if cancelled:
        return SolveStatus.CANCELLED
    return SolveStatus.FEASIBLE if raw == cp_model.FEASIBLE else SolveStatus.TIMEOUT


def _statistics(
    solver: cp_model.CpSolver,
    raw: cp_model.CpSolverStatus,
    monitor: SearchMonitor,
    model: cp_model.CpModel,
) -> dict[str, Statistic]:
    stats: dict[str, Statistic] = {
        "solver_status": raw.name,
        "solutions": monitor.solutions,
        "conflicts": solver.num_conflicts,
        "branches": solver.num_branches,
        "solver_wall_time_s": solver.wall_time,
        "user_time_s": solver.user_time,
        # Work done in CP-SAT's own load-independent unit: comparable across busy machines.
        "deterministic_time": round(solver.response_proto.deterministic_time, 4),
        "variables": len(model.proto.variables),
        "constraints": len(model.proto.constraints),
    }
    if monitor.first_solution_s is not None:
        stats["first_solution_s"] = round(monitor.first_solution_s, 4)
    return stats


def run_model(
    model: cp_model.CpModel,
    config: SolveConfig,
    *,
    on_progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    tune: ParameterTuner | None = None,
) -> SolverRun:
    """Solves ``model`` under ``config``; progress goes to ``on_progress``, ``cancel`` stops it
    within about a tenth of a second whether or not solutions are arriving."""
    started = time.monotonic()
    solver = cp_model.CpSolver()
    configure(solver, config)
    if tune is not None:
        tune(solver.parameters, config)
    apply_parameters(solver.parameters, config.parameters)
    has_objective = model.has_objective()
    monitor = SearchMonitor(
        solver, on_progress=on_progress, cancel=cancel, has_objective=has_objective
    )
    if has_objective:
        solver.best_bound_callback = monitor.on_bound
    if cancel is not None and cancel.cancelled:
        # Cancelled before it began: do not start a search at all.
        return SolverRun(SolveStatus.CANCELLED, solver, False, None, None, None, {}, 0.0)
    with cancel_watchdog(solver, cancel):
        raw = solver.solve(model, monitor)
    status = _status(raw, cancel is not None and cancel.cancelled)
    has_solution = raw in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    objective = solver.objective_value if has_solution and has_objective else None
    bound = solver.best_objective_bound if has_solution and has_objective else None
    return SolverRun(
        status=status,
        solver=solver,
        has_solution=has_solution,
        objective=objective,
        best_bound=bound,
        gap=relative_gap(objective, bound),
        statistics=_statistics(solver, raw, monitor, model),
        wall_time=time.monotonic() - started,
    )


_TIGHTEN_S = 10.0  # the schedule is fixed: presolve alone usually settles what is left


def tighten(
    model: cp_model.CpModel, run: SolverRun, decisions: Sequence[cp_model.IntVar]
) -> SolverRun:
    """``run`` with its objective the true cost of the schedule it found.

    A penalty is a variable the objective pushes down onto what it measures (``outside >= count
    - lo - 1``), so it is exact only where the search proved its solution optimal: stopped
    early - at its time limit or its gap limit - a penalty may sit above what the schedule
    deserves and the report would show a cost that is not there. Here ``decisions`` are fixed
    to the values found and only the penalties searched again, on a copy of ``model``; the
    bound is the original search's (it bounds every schedule, this one included)."""
    loose = run.status is SolveStatus.FEASIBLE or (run.gap or 0.0) > 0
    if not (run.has_solution and loose and model.has_objective() and decisions):
        return run
    fixed = model.clone()
    for var in decisions:
        twin = fixed.get_int_var_from_proto_index(var.index)
        fixed.add(twin == run.solver.value(var))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = _TIGHTEN_S
    raw = solver.solve(fixed)
    if raw not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return run
    objective = solver.objective_value
    if run.objective is not None and objective >= run.objective:
        return run
    bound = run.best_bound
    proven = bound is not None and objective <= bound + 1e-6
    statistics = {**run.statistics, "tightened_from": run.objective or 0.0}
    return SolverRun(
        status=SolveStatus.OPTIMAL if proven else run.status,
        solver=solver,
        has_solution=True,
        objective=objective,
        best_bound=bound,
        gap=relative_gap(objective, bound),
        statistics=statistics,
        wall_time=run.wall_time + solver.wall_time,
    )
