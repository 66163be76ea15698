"""The demo program's rotation plan: solved, valid, explained, repeatable, warm-startable."""

from __future__ import annotations

import dataclasses
from collections import Counter

import pytest

from resched.core.demo import build_demo
from resched.core.model import AbsenceType, BlockAssignment
from resched.core.solver import ProgressEvent, SolveConfig, SolveResult, SolveStatus
from resched.core.solver.plan import (
    HEAVY_STREAK,
    PlanProblem,
    RotationPlan,
    check_plan,
    plan_rotations,
    score_plan,
)
from resched.core.solver.plan.demo import demo_plan_problem
from resched.core.solver.plan.problem import DEFAULT_WEIGHTS
from tests.solve_limits import work_limited

# A 5 % gap keeps the test quick and ends the search by itself, well inside the work budget;
# the benchmark measures the time to a proven optimum.
DEMO_CONFIG = SolveConfig(num_workers=2, seed=7, relative_gap=0.05, **work_limited(60.0))


@pytest.fixture(scope="module")
def demo_problem() -> PlanProblem:
    return demo_plan_problem(build_demo())


@pytest.fixture(scope="module")
def events() -> list[ProgressEvent]:
    return []


@pytest.fixture(scope="module")
def solved(demo_problem: PlanProblem, events: list[ProgressEvent]) -> SolveResult[RotationPlan]:
    return plan_rotations(demo_problem, DEMO_CONFIG, on_progress=events.append)


def test_demo_plan_is_solved_and_valid(
    demo_problem: PlanProblem, solved: SolveResult[RotationPlan]
) -> None:
    assert solved.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)
    assert solved.is_valid, solved.violations
    assert solved.solution is not None
    assert check_plan(demo_problem, solved.solution) == []
    cells = Counter((a.person_id, a.block_number) for a in solved.solution.assignments)
    assert len(cells) == 36 * 13
    assert set(cells.values()) == {1}


def test_demo_absences_sit_on_leave_eligible_rotations(
    demo_problem: PlanProblem, solved: SolveResult[RotationPlan]
) -> None:
    assert solved.solution is not None
    eligible = {r.code for r in demo_problem.rotations if r.leave_eligible}
    for absence in demo_problem.approved_absences:
        if absence.person_id > 36:
            continue  # faculty: not in the rotation plan
        block = next(b for b in demo_problem.blocks if b.start <= absence.start <= b.end)
        assert solved.solution.rotation_at(absence.person_id, block.number) in eligible


def test_demo_penalties_add_up_to_the_objective(
    demo_problem: PlanProblem, solved: SolveResult[RotationPlan]
) -> None:
    assert solved.solution is not None
    assert solved.objective is not None
    assert sum(p.cost for p in solved.penalties) == solved.objective
    assert solved.penalties == tuple(score_plan(demo_problem, solved.solution, DEFAULT_WEIGHTS))
    for penalty in solved.penalties:
        assert penalty.explanation
        assert penalty.weight > 0
        assert penalty.amount > 0
        if penalty.name == HEAVY_STREAK:
            assert penalty.person_id is not None
            assert penalty.block is not None
    assert solved.best_bound is not None
    assert solved.best_bound <= solved.objective


def test_progress_reports_each_solution_in_order(
    solved: SolveResult[RotationPlan], events: list[ProgressEvent]
) -> None:
    with_solutions = [e for e in events if e.solutions]
    assert with_solutions, "no progress event carried a solution"
    counts = [e.solutions for e in with_solutions]
    assert counts == sorted(counts)
    assert with_solutions[-1].objective == solved.objective
    assert solved.statistics["solutions"] == counts[-1]


def test_locks_hold_against_a_warm_start_that_disagrees(
    demo_problem: PlanProblem, solved: SolveResult[RotationPlan]
) -> None:
    """Swap the whole years of two PGY-1 residents without absences (a valid plan too), lock
    the swapped rows, and hint the solver with the original plan: the locks win."""
    assert solved.solution is not None
    away = {a.person_id for a in demo_problem.approved_absences}
    wishes = {r.person_id for r in demo_problem.requests}
    a, b = [p.id for p in demo_problem.residents if p.pgy == 1 and p.id not in away | wishes][:2]
    rows = {pid: solved.solution.for_person(pid) for pid in (a, b)}
    locks = tuple(
        BlockAssignment(other, cell.block_number, cell.rotation_code, locked=True)
        for pid, other in ((a, b), (b, a))
        for cell in rows[pid]
    )
    problem = dataclasses.replace(demo_problem, locked=locks)
    config = dataclasses.replace(DEMO_CONFIG, hints=solved.solution.assignments, relative_gap=0.05)
    result = plan_rotations(problem, config)
    assert result.is_valid, result.violations
    assert result.solution is not None
    assert result.statistics["hinted_cells"] == 36 * 13
    for lock in locks:
        assert result.solution.rotation_at(lock.person_id, lock.block_number) == lock.rotation_code
    assert {(x.person_id, x.block_number) for x in result.solution.assignments if x.locked} == {
        (x.person_id, x.block_number) for x in locks
    }


def test_too_many_interns_away_in_one_block_is_explained(demo_problem: PlanProblem) -> None:
    """PGY-1 places per block are 9 on heavy (not leave-eligible) rotations and 3 elsewhere:
    four interns on leave in the same block cannot all be placed."""
    block = demo_problem.blocks[4]
    interns = [p for p in demo_problem.residents if p.pgy == 1][:4]
    leave = tuple(
        dataclasses.replace(demo_problem.absences[0], person_id=p.id, start=block.start,
                            end=block.start, type=AbsenceType.CONFERENCE)
        for p in interns
    )  # fmt: skip
    problem = dataclasses.replace(demo_problem, absences=leave, requests=())
    result = plan_rotations(problem, DEMO_CONFIG)
    assert result.status is SolveStatus.INFEASIBLE
    assert result.solution is None
    text = "\n".join(result.conflicts)
    for person in interns:
        assert f"({person.code}) has approved conference leave" in text
    assert "Block 5 needs at least" in text
    assert all("block 5" in c.lower() for c in result.conflicts), result.conflicts
    assert result.statistics["conflict_minimal"] == 1
