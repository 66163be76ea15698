"""The plan search's CP-SAT parameters follow the model's size (plan/tuning.py): on two workers
the demo's model runs ``default_lp`` as its full worker with a light presolve, a 150-resident
program's model runs ``max_lp`` with CP-SAT's full presolve."""

from __future__ import annotations

import dataclasses

import pytest
from ortools.sat.python import cp_model

from resched.core.demo import build_demo
from resched.core.solver import SolveConfig, SolveStatus
from resched.core.solver.plan import DEFAULT_WEIGHTS, plan_rotations
from resched.core.solver.plan.build import build_model
from resched.core.solver.plan.demo import demo_plan_problem
from resched.core.solver.plan.tuning import LARGE_MODEL_VARIABLES, full_workers, tuner_for
from tests.core.solver.tiny import FAST, problem, residents, rotation


def _model_of(variables: int) -> cp_model.CpModel:
    model = cp_model.CpModel()
    for index in range(variables):
        model.new_bool_var(f"x{index}")
    return model


def _tuned(model: cp_model.CpModel, workers: int) -> cp_model.SatParameters:
    params = cp_model.SatParameters()
    tuner_for(model)(params, SolveConfig(num_workers=workers))
    return params


def _variables(residents: int, faculty: int) -> int:
    demo = build_demo(residents=residents, faculty=faculty)
    return len(build_model(demo_plan_problem(demo), DEFAULT_WEIGHTS).model.proto.variables)


def test_the_demo_is_small_and_150_residents_large() -> None:
    """The two sizes the choice was measured on fall on either side of the split."""
    assert _variables(36, 16) <= LARGE_MODEL_VARIABLES < _variables(150, 60)


def test_two_workers_run_the_full_worker_that_suits_the_size() -> None:
    small = _tuned(_model_of(LARGE_MODEL_VARIABLES), workers=2)
    large = _tuned(_model_of(LARGE_MODEL_VARIABLES + 1), workers=2)
    assert list(small.subsolvers) == full_workers(LARGE_MODEL_VARIABLES)
    assert small.subsolvers[0] == "default_lp"
    assert large.subsolvers[0] == "max_lp"
    assert set(small.subsolvers) == set(large.subsolvers) == {"default_lp", "max_lp"}


@pytest.mark.parametrize("workers", [1, 2, 4])
def test_only_a_small_model_gets_the_light_presolve(workers: int) -> None:
    defaults = cp_model.SatParameters()
    small = _tuned(_model_of(10), workers)
    large = _tuned(_model_of(LARGE_MODEL_VARIABLES + 1), workers)
    assert (small.max_presolve_iterations, small.cp_model_probing_level) == (1, 0)
    assert large.max_presolve_iterations == defaults.max_presolve_iterations
    assert large.cp_model_probing_level == defaults.cp_model_probing_level


def test_one_worker_and_many_keep_their_relaxation_choices() -> None:
    one = _tuned(_model_of(10), workers=1)
    many = _tuned(_model_of(LARGE_MODEL_VARIABLES + 1), workers=4)
    assert one.linearization_level == 2
    assert list(one.subsolvers) == []
    assert list(many.extra_subsolvers) == ["max_lp"]
    assert list(many.subsolvers) == []


def test_the_light_presolve_proves_the_same_optimum() -> None:
    """A heavy rotation filling most places: the streak penalty is forced; the tuned search
    and one with CP-SAT's full presolve prove the same optimum."""
    heavy = rotation("H", cap=(2, 2), yearly={1: (3, 5)})
    light = rotation("L", cap=(1, 1), leave=True)
    p = problem(residents(1, 1, 1), (heavy, light), count=6)
    p = dataclasses.replace(p, heavy_rotations=frozenset({"H"}), max_heavy_run=1)
    full = {**FAST.parameters, "max_presolve_iterations": 3, "cp_model_probing_level": 2}
    tuned = plan_rotations(p, FAST)
    untuned = plan_rotations(p, dataclasses.replace(FAST, parameters=full))
    assert tuned.status is untuned.status is SolveStatus.OPTIMAL
    assert tuned.objective == untuned.objective
    assert tuned.objective is not None
    assert tuned.objective > 0
