"""A search stopped early may leave a penalty above what its schedule deserves; ``tighten``
reports the schedule's true cost, with the decisions it found unchanged."""

from __future__ import annotations

import dataclasses

from ortools.sat.python import cp_model

from resched.core.solver.config import SolveConfig
from resched.core.solver.engine import SolverRun, run_model, tighten
from resched.core.solver.result import SolveStatus


def _model() -> tuple[cp_model.CpModel, cp_model.IntVar, cp_model.IntVar]:
    """One decision ``on`` and a penalty pushed down onto it (``penalty >= on``), as the
    solvers' soft goals are written; leaving ``on`` off costs 2."""
    model = cp_model.CpModel()
    on = model.new_bool_var("on")
    penalty = model.new_int_var(0, 5, "penalty")
    model.add(penalty >= on)
    model.minimize(penalty + 2 * (1 - on))
    return model, on, penalty


def _loose_run(model: cp_model.CpModel, penalty: cp_model.IntVar) -> SolverRun:
    """What an early stop can return: the right decision with its penalty left at 4."""
    stopped = model.clone()
    stopped.add(stopped.get_int_var_from_proto_index(penalty.index) == 4)
    run = run_model(stopped, SolveConfig(time_limit_s=30, num_workers=1))
    assert run.objective == 4
    return dataclasses.replace(run, status=SolveStatus.FEASIBLE, best_bound=1.0, gap=0.75)


def test_a_loose_penalty_is_brought_down_to_the_schedules_cost() -> None:
    model, on, penalty = _model()
    run = _loose_run(model, penalty)
    tight = tighten(model, run, [on])
    assert tight.objective == 1
    assert tight.solver.value(on) == 1  # the schedule itself is the one found
    assert tight.solver.value(penalty) == 1
    assert tight.best_bound == 1.0
    assert tight.gap == 0
    assert tight.status is SolveStatus.OPTIMAL  # it meets the original search's bound
    assert tight.statistics["tightened_from"] == 4


def test_the_decisions_found_are_kept_even_when_another_costs_less() -> None:
    model, on, _ = _model()
    stopped = model.clone()
    stopped.add(stopped.get_int_var_from_proto_index(on.index) == 0)
    run = run_model(stopped, SolveConfig(time_limit_s=30, num_workers=1))
    run = dataclasses.replace(run, status=SolveStatus.FEASIBLE, best_bound=1.0, gap=0.5)
    tight = tighten(model, run, [on])
    assert tight.solver.value(on) == 0
    assert tight.objective == 2  # on off costs 2, though on costs 1: not this schedule's cost


def test_a_proven_optimum_is_returned_as_it_is() -> None:
    model, on, _ = _model()
    run = run_model(model, SolveConfig(time_limit_s=30, num_workers=1))
    assert run.status is SolveStatus.OPTIMAL
    assert tighten(model, run, [on]) is run
