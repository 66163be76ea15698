"""Progress events and cancellation of running solves (the "kill switch" must really stop)."""

from __future__ import annotations

import random
import threading

import pytest
from ortools.sat.python import cp_model

from resched.core.demo import build_demo
from resched.core.solver import CancelToken, SolveConfig, SolveStatus
from resched.core.solver.engine import run_model
from resched.core.solver.plan import PlanProblem, plan_rotations
from resched.core.solver.plan.demo import demo_plan_problem
from tests.solve_limits import SAFETY_S, work_limited

# Far more work than either search below gets to do before its cancel: a broken cancel would
# spend it all (or, for the plan, prove it optimal), a working one stops long before.
BUDGET = 30.0
LONG = SolveConfig(num_workers=2, seed=3, **work_limited(BUDGET))


@pytest.fixture(scope="module")
def big_problem() -> PlanProblem:
    return demo_plan_problem(build_demo(residents=60, faculty=25))


class CancelledOnceSearching(CancelToken):
    """Reads as not cancelled at its first look (run_model's, before the search starts) and as
    cancelled from then on, when only the running search's watchdog looks: a cancel that lands
    mid-search however slowly the machine gets there, with no timer."""

    def __init__(self) -> None:
        super().__init__()
        self._looks = 0

    @property
    def cancelled(self) -> bool:
        self._looks += 1
        if self._looks > 1:
            self.cancel()
        return super().cancelled


def test_cancel_stops_a_running_plan(big_problem: PlanProblem) -> None:
    token = CancelToken()
    # Cancelled at the search's first news (a bound or a plan): mid-search on any machine.
    result = plan_rotations(big_problem, LONG, on_progress=lambda _: token.cancel(), cancel=token)
    assert result.status is SolveStatus.CANCELLED  # not optimal, not out of work
    assert result.statistics["deterministic_time"] < BUDGET
    if result.solution is not None:  # the best plan so far is kept and still checked
        assert result.violations == ()


def _hard_unsatisfiable(variables: int = 300, seed: int = 1) -> cp_model.CpModel:
    """Random 3-SAT past the threshold (4.4 clauses a variable): no solution, and a proof that
    takes one CP-SAT worker far longer than these tests wait. No solution callback ever fires,
    so only the watchdog thread can stop it."""
    rng = random.Random(seed)
    model = cp_model.CpModel()
    x = [model.new_bool_var(f"x{i}") for i in range(variables)]
    for _ in range(int(4.4 * variables)):
        model.add_bool_or(
            [x[v] if rng.random() < 0.5 else ~x[v] for v in rng.sample(range(variables), 3)]
        )
    return model


def test_cancel_lands_without_any_new_solution() -> None:
    model = _hard_unsatisfiable()
    token = CancelledOnceSearching()
    run = run_model(model, SolveConfig(num_workers=1, **work_limited(BUDGET)), cancel=token)
    assert run.status is SolveStatus.CANCELLED
    assert run.statistics["solutions"] == 0
    # Only the watchdog could stop it (no callback ever fires), and it did, before the budget.
    assert run.statistics["deterministic_time"] < BUDGET


def test_a_cancelled_token_does_not_start_a_search() -> None:
    token = CancelToken()
    token.cancel()
    model = cp_model.CpModel()
    model.new_bool_var("x")
    run = run_model(model, SolveConfig(time_limit_s=SAFETY_S), cancel=token)
    assert run.status is SolveStatus.CANCELLED
    assert not run.has_solution


def test_cancel_token_is_shared_safely_across_threads() -> None:
    token = CancelToken()
    seen: list[bool] = []
    waiter = threading.Thread(target=lambda: seen.append(token.wait(SAFETY_S)))
    waiter.start()
    token.cancel()
    waiter.join(SAFETY_S)
    assert seen == [True]
    assert token.cancelled


def test_a_limit_reached_without_a_solution_is_timeout_not_feasible() -> None:
    # The work limit stands in for the clock: both end the search the same way.
    run = run_model(_hard_unsatisfiable(), SolveConfig(num_workers=1, **work_limited(0.3)))
    assert run.status is SolveStatus.TIMEOUT
    assert not run.has_solution
