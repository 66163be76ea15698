"""The shared solver vocabulary: statuses, config checks, weights, gaps."""

from __future__ import annotations

import pytest

from resched.core.errors import Invalid
from resched.core.solver import Penalty, SolveConfig, SolveResult, SolveStatus
from resched.core.solver.config import resolve_weights
from resched.core.solver.result import relative_gap


def test_status_values_are_the_documented_words() -> None:
    assert [s.value for s in SolveStatus] == [
        "optimal", "feasible", "infeasible", "timeout", "cancelled"
    ]  # fmt: skip


@pytest.mark.parametrize(
    "kwargs",
    [{"time_limit_s": 0}, {"num_workers": -1}, {"relative_gap": -0.1}, {"weights": {"a": -1}}],
)
def test_config_refuses_nonsense(kwargs: dict[str, object]) -> None:
    with pytest.raises(Invalid):
        SolveConfig(**kwargs)  # type: ignore[arg-type]


def test_weights_override_defaults_and_refuse_typos() -> None:
    assert resolve_weights({"a": 1, "b": 2}, {"b": 5}) == {"a": 1, "b": 5}
    with pytest.raises(Invalid, match="unknown penalty weight"):
        resolve_weights({"a": 1}, {"aa": 5})


def test_gap_is_relative_and_safe_at_zero() -> None:
    assert relative_gap(100, 90) == pytest.approx(0.1)
    assert relative_gap(0, 0) == 0
    assert relative_gap(None, 3) is None


def test_a_result_without_solution_or_with_violations_is_not_valid() -> None:
    assert not SolveResult(SolveStatus.TIMEOUT, None).is_valid
    assert not SolveResult(SolveStatus.OPTIMAL, "plan", violations=("broken",)).is_valid
    assert SolveResult(SolveStatus.OPTIMAL, "plan").is_valid
    assert Penalty("x", 3, 2, "why").cost == 6


def test_extra_cp_sat_parameters_are_applied_and_checked() -> None:
    from ortools.sat.python import cp_model

    from resched.core.solver.engine import apply_parameters, run_model

    params = cp_model.CpSolver().parameters
    apply_parameters(params, {"linearization_level": 2, "subsolvers": ["default_lp", "no_lp"]})
    assert params.linearization_level == 2
    assert list(params.subsolvers) == ["default_lp", "no_lp"]
    apply_parameters(params, {"subsolvers": ["core"]})  # a repeated field is replaced
    assert list(params.subsolvers) == ["core"]
    with pytest.raises(Invalid, match="unknown CP-SAT parameter"):
        apply_parameters(params, {"num_workerz": 2})
    with pytest.raises(Invalid, match="cannot be"):
        apply_parameters(params, {"num_workers": "two"})
    model = cp_model.CpModel()
    x = model.new_int_var(0, 10, "x")
    model.maximize(x)
    # The extra parameter reaches the solver: no conflicts allowed, none spent.
    config = SolveConfig(time_limit_s=5, num_workers=1, parameters={"max_number_of_conflicts": 0})
    run = run_model(model, config)
    assert run.statistics["conflicts"] == 0
