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
