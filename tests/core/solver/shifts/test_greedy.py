"""The greedy first schedule (greedy.py) and the complete hint made from it (hint.py): legal
by ``core.rules`` on its own, on programs of different shapes, and a start CP-SAT keeps."""

from __future__ import annotations

import pytest

from resched.core.demo import build_demo
from resched.core.model import Assignment, HolidayRule
from resched.core.solver.config import resolve_weights
from resched.core.solver.engine import run_model
from resched.core.solver.shifts import ShiftProblem, schedule_shifts
from resched.core.solver.shifts.build import build_model
from resched.core.solver.shifts.demo import dealt_plan, demo_shift_problem
from resched.core.solver.shifts.greedy import greedy_schedule
from resched.core.solver.shifts.hint import first_solution
from resched.core.solver.shifts.problem import DEFAULT_WEIGHTS
from resched.core.solver.shifts.validate import check_schedule
from tests.core.solver.shifts.test_holiday_programs import _pediatrics
from tests.core.solver.shifts.tiny import config


def _demo(block: int, residents: int = 36, faculty: int = 16, ahead: int = 27) -> ShiftProblem:
    demo = build_demo(residents=residents, faculty=faculty)
    plan = tuple(c for b in demo.year.blocks for c in dealt_plan(demo, b.number, turn=b.number))
    return demo_shift_problem(demo, plan, block=block, lookahead_days=ahead)


CASES = {
    "demo block 1": lambda: _demo(1),
    "demo block 5 (clocks go back)": lambda: _demo(5),
    "demo 60 residents, block 9": lambda: _demo(9, 60, 25),
    # The dealt plan's block 1 cannot be continued into block 2 (its night-float residents
    # start the emergency rotation the next morning), so the solves take the block alone.
    "demo block 1 alone": lambda: _demo(1, ahead=0),
    "pediatrics-like, holiday clinic closed": lambda: _pediatrics(
        HolidayRule.NOT_ON_HOLIDAYS, HolidayRule.HOLIDAYS_ONLY
    ),
}


def _greedy(problem: ShiftProblem) -> tuple[Assignment, ...]:
    built = build_model(problem, resolve_weights(DEFAULT_WEIGHTS, {}))
    first = greedy_schedule(built.ctx)
    return tuple(
        Assignment(s.person.id, s.day, s.shift.code) for s in first.worked if s.day <= problem.end
    )


@pytest.mark.parametrize("name", list(CASES))
def test_the_greedy_schedule_breaks_no_hard_rule(name: str) -> None:
    problem = CASES[name]()
    built = build_model(problem, resolve_weights(DEFAULT_WEIGHTS, {}))
    worked = _greedy(problem)
    assert worked, "every case has demands to cover"
    violations, _ = check_schedule(problem, built.ctx.horizon, worked)
    assert violations == []


def test_the_greedy_schedule_of_an_empty_program_is_empty() -> None:
    problem = _pediatrics(HolidayRule.ANY, HolidayRule.ANY)
    bare = ShiftProblem(
        program=problem.program,
        start=problem.start,
        end=problem.end,
        people=(),
        shift_types=(),
        rotations=(),
        blocks=problem.blocks,
        plan=(),
        coverage=(),
    )
    assert _greedy(bare) == ()
    result = schedule_shifts(bare, config(work=1.0), greedy=True)
    assert result.is_valid
    assert result.solution is not None
    assert result.solution.assignments == ()


def test_the_hint_is_a_solution_of_the_whole_model() -> None:
    """Completed (hint.py), the greedy schedule gives every variable a value that CP-SAT
    accepts with every slot fixed as hinted."""
    problem = _demo(1, ahead=0)
    built = build_model(problem, resolve_weights(DEFAULT_WEIGHTS, {}))
    values = first_solution(built.ctx, config(work=5.0))
    assert isinstance(values, list)
    assert len(values) == len(built.ctx.model.proto.variables)
    check = built.ctx.model.clone()
    for index, value in enumerate(values):
        domain = check.proto.variables[index].domain
        domain[0] = domain[1] = value
    assert run_model(check, config(work=1.0)).has_solution
    result = schedule_shifts(problem, config(work=1.0), greedy=True)
    assert result.is_valid, (result.status, result.violations[:5])
    assert result.statistics["greedy_complete"] == 1
    assert result.objective is not None


@pytest.mark.parametrize("name", ["demo block 1 alone", "pediatrics-like, holiday clinic closed"])
def test_a_solve_from_the_greedy_start_is_legal(name: str) -> None:
    result = schedule_shifts(CASES[name](), config(work=2.0), greedy=True)
    assert result.is_valid, (result.status, result.violations[:5], result.conflicts)
    assert "greedy_s" in result.statistics
