"""Solving a Curtois & Qu instance with the shared engine, and reading back the roster."""

from __future__ import annotations

import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from resched.core.bench.curtois.instance import Instance
from resched.core.bench.curtois.score import Roster
from resched.core.solver.config import SolveConfig
from resched.core.solver.curtois.model import CurtoisModel, build_model
from resched.core.solver.engine import run_model
from resched.core.solver.progress import ProgressCallback
from resched.core.solver.result import SolveStatus, Statistic

LIN2 = "default_lin2"


@dataclass(frozen=True, slots=True)
class CurtoisResult:
    status: SolveStatus
    objective: int | None
    bound: int | None
    seconds: float
    roster: Roster | None
    statistics: dict[str, Statistic]


def tune(params: cp_model.SatParameters, config: SolveConfig) -> None:
    """What measured best on these models (docs/performance.md, "Public benchmark"): CP-SAT's
    default search over the full LP relaxation (linearization level 2, whose cuts on the cover
    rows prove the 14-day instances' optima). One worker runs it alone; with more, it is
    the first full-problem subsolver (CP-SAT's own ``default_lp`` keeps level 1 and proves
    little here) and the others keep CP-SAT's portfolio and neighbourhood search."""
    params.linearization_level = 2
    if config.num_workers == 1:
        return
    lin2 = cp_model.SatParameters()
    lin2.name = LIN2
    lin2.linearization_level = 2
    params.subsolver_params.append(lin2)
    if config.num_workers == 2:
        params.subsolvers.append(LIN2)  # one full-problem worker, the other one interleaves LNS
    else:
        params.extra_subsolvers.append(LIN2)


def solve_instance(
    instance: Instance, config: SolveConfig, *, on_progress: ProgressCallback | None = None
) -> CurtoisResult:
    started = time.monotonic()
    built = build_model(instance)
    run = run_model(built.model, config, on_progress=on_progress, tune=tune)
    roster = _roster(instance, built, run.solver) if run.has_solution else None
    return CurtoisResult(
        status=run.status,
        objective=None if run.objective is None else round(run.objective),
        bound=None if run.best_bound is None else _ceil(run.best_bound),
        seconds=time.monotonic() - started,  # the model's build included
        roster=roster,
        statistics=run.statistics,
    )


def _ceil(bound: float) -> int:
    """The objective is an integer, so the proven bound rounds up (with float noise absorbed)."""
    return -int(-bound // 1) if abs(bound - round(bound)) > 1e-6 else round(bound)


def _roster(instance: Instance, built: CurtoisModel, solver: cp_model.CpSolver) -> Roster:
    roster: dict[str, list[str | None]] = {s.id: [None] * instance.days for s in instance.staff}
    for (pid, day, sid), lit in built.works.items():
        if solver.boolean_value(lit):
            roster[pid][day] = sid
    return roster
