"""``plan_rotations``: the annual rotation plan, solved, checked, scored and explained."""

from __future__ import annotations

import time
from collections.abc import Mapping

from resched.core.solver.config import SolveConfig, resolve_weights
from resched.core.solver.engine import SolverRun, run_model
from resched.core.solver.explain import explain_infeasibility
from resched.core.solver.plan.build import (
    PlanModel,
    add_hints,
    build_model,
    complete_hint,
    read_plan,
)
from resched.core.solver.plan.check import check_plan
from resched.core.solver.plan.greedy import greedy_plan
from resched.core.solver.plan.problem import DEFAULT_WEIGHTS, PlanProblem, RotationPlan
from resched.core.solver.plan.score import score_plan
from resched.core.solver.plan.tuning import tuner_for
from resched.core.solver.plan.validate import validate_problem
from resched.core.solver.progress import CancelToken, ProgressCallback
from resched.core.solver.result import SolveResult, SolveStatus, Statistic

Result = SolveResult[RotationPlan]

# Objective values are integers carried in a float; anything beyond rounding noise is a bug.
_OBJECTIVE_TOLERANCE = 1e-6


def plan_rotations(
    problem: PlanProblem,
    config: SolveConfig,
    *,
    on_progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> Result:
    """Assigns every resident one rotation per block (or half block) for the year.

    Raises ``Invalid`` for malformed input. Otherwise always returns a result: a plan that
    ``check_plan`` has verified (any violation it finds is listed in ``violations``, never
    hidden), or no plan and a status that says why; ``infeasible`` comes with the smallest set of
    conflicting requirements found, in ``conflicts``.
    """
    started = time.monotonic()
    validate_problem(problem)
    weights = resolve_weights(DEFAULT_WEIGHTS, {**problem.weights, **config.weights})
    built = build_model(problem, weights)
    hinted, hint_statistics = _hint(problem, weights, built, config)
    run = run_model(
        built.model, config, on_progress=on_progress, cancel=cancel, tune=tuner_for(built.model)
    )
    statistics = {**run.statistics, "hinted_cells": hinted, **hint_statistics}
    if run.status is SolveStatus.INFEASIBLE:
        return _explain(problem, config, cancel, run, started)
    if not run.has_solution:
        return SolveResult(run.status, None, statistics=statistics, wall_time=_since(started))
    return _checked(
        problem, weights, read_plan(problem, built.vars, run.solver), run, statistics, started
    )


def _hint(
    problem: PlanProblem, weights: Mapping[str, int], built: PlanModel, config: SolveConfig
) -> tuple[int, dict[str, Statistic]]:
    """Warm start from the caller's hints, else from the greedy construction (greedy.py):
    the hinted cells, and how long the construction took and what its plan costs (-1: it
    found none)."""
    started = time.monotonic()
    if config.hints:
        hinted = add_hints(built, config.hints)
        statistics: dict[str, Statistic] = {}
    else:
        first = greedy_plan(problem, weights)
        statistics = {"greedy_s": round(_since(started), 4)}
        if first is None:
            return 0, statistics | {"greedy_objective": -1}
        penalties = score_plan(problem, RotationPlan(first), weights)
        statistics["greedy_objective"] = sum(p.cost for p in penalties)
        hinted = add_hints(built, first)
    statistics["hint_complete"] = int(complete_hint(built))
    statistics["hint_s"] = round(_since(started), 4)
    return hinted, statistics


def _checked(
    problem: PlanProblem,
    weights: Mapping[str, int],
    plan: RotationPlan,
    run: SolverRun,
    statistics: Mapping[str, Statistic],
    started: float,
) -> Result:
    """The solved plan with the independent checker's verdict and its penalties."""
    violations = check_plan(problem, plan)
    penalties = score_plan(problem, plan, weights)
    scored = sum(p.cost for p in penalties)
    if run.objective is not None and abs(run.objective - scored) > _OBJECTIVE_TOLERANCE:
        violations.append(
            f"internal: the solver's objective {run.objective:g} differs from the scored "
            f"penalties {scored}; the penalties shown may not explain this plan"
        )
    return SolveResult(
        status=run.status,
        solution=plan,
        objective=run.objective,
        best_bound=run.best_bound,
        gap=run.gap,
        penalties=tuple(penalties),
        violations=tuple(violations),
        statistics=statistics,
        wall_time=_since(started),
    )


def _explain(
    problem: PlanProblem,
    config: SolveConfig,
    cancel: CancelToken | None,
    run: SolverRun,
    started: float,
) -> Result:
    built = build_model(problem, DEFAULT_WEIGHTS, explain=True)
    explanation = explain_infeasibility(built.requirements, config, cancel=cancel)
    conflicts = [r.message for r in explanation.requirements]
    if not explanation.proven:
        conflicts.append(
            "The plan is infeasible, but the conflicting requirements could not be narrowed "
            "down in the time allowed."
        )
    elif not conflicts:
        conflicts.append("The plan is infeasible for a reason outside the named requirements.")
    statistics = {
        **run.statistics,
        "conflict_minimal": int(explanation.minimal),
        "explain_time_s": round(_since(started) - run.wall_time, 4),
    }
    return SolveResult(
        SolveStatus.INFEASIBLE,
        None,
        conflicts=tuple(conflicts),
        statistics=statistics,
        wall_time=_since(started),
    )


def _since(started: float) -> float:
    return time.monotonic() - started
