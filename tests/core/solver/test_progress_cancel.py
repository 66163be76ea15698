"""Progress events and cancellation of running solves (the "kill switch" must really stop)."""

from __future__ import annotations

import random
import threading
import time

import pytest
from ortools.sat.python import cp_model

from resched.core.demo import build_demo
from resched.core.solver import CancelToken, SolveConfig, SolveStatus
from resched.core.solver.engine import run_model
from resched.core.solver.plan import PlanProblem, plan_rotations
from resched.core.solver.plan.demo import demo_plan_problem

# A solve that cannot finish by itself within the test: the limit only bounds a broken cancel.
LONG = SolveConfig(time_limit_s=120, num_workers=2, seed=3)


@pytest.fixture(scope="module")
def big_problem() -> PlanProblem:
    return demo_plan_problem(build_demo(residents=60, faculty=25))


def _cancel_after(token: CancelToken, seconds: float) -> threading.Timer:
    timer = threading.Timer(seconds, token.cancel)
    timer.start()
    return timer


def test_cancel_stops_a_running_plan_within_a_second(big_problem: PlanProblem) -> None:
    token = CancelToken()
    _cancel_after(token, 1.0)
    started = time.monotonic()
    result = plan_rotations(big_problem, LONG, cancel=token)
    elapsed = time.monotonic() - started
    assert result.status is SolveStatus.CANCELLED
    assert elapsed < 2.0, f"cancel at 1.0 s, solve returned after {elapsed:.2f} s"
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
    token = CancelToken()
    _cancel_after(token, 0.5)
    started = time.monotonic()
    run = run_model(
        _hard_unsatisfiable(), SolveConfig(time_limit_s=60, num_workers=1), cancel=token
    )
    elapsed = time.monotonic() - started
    assert run.status is SolveStatus.CANCELLED
    assert run.statistics["solutions"] == 0
    assert elapsed < 1.5


def test_a_cancelled_token_does_not_start_a_search() -> None:
    token = CancelToken()
    token.cancel()
    model = cp_model.CpModel()
    model.new_bool_var("x")
    run = run_model(model, SolveConfig(time_limit_s=60), cancel=token)
    assert run.status is SolveStatus.CANCELLED
    assert not run.has_solution


def test_cancel_token_is_shared_safely_across_threads() -> None:
    token = CancelToken()
    seen: list[bool] = []
    waiter = threading.Thread(target=lambda: seen.append(token.wait(5)))
    waiter.start()
    token.cancel()
    waiter.join(2)
    assert seen == [True]
    assert token.cancelled


def test_time_limit_without_a_solution_is_timeout_not_feasible() -> None:
    run = run_model(_hard_unsatisfiable(), SolveConfig(time_limit_s=0.3, num_workers=1))
    assert run.status is SolveStatus.TIMEOUT
    assert not run.has_solution
