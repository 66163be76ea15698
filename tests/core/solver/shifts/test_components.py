"""Independent parts of a shift model: found on the model, solved apart, combined exactly."""

from __future__ import annotations

from dataclasses import replace

import pytest
from ortools.sat.python import cp_model

from resched.core.model import CoverageRequirement, Eligibility, Request, RequestKind, Role
from resched.core.solver import SolveConfig, SolveStatus
from resched.core.solver.engine import run_model
from resched.core.solver.shifts import DEFAULT_WEIGHTS, ShiftProblem, schedule_shifts
from resched.core.solver.shifts import components as components_module
from resched.core.solver.shifts.build import build_model
from resched.core.solver.shifts.components import components, run_parts
from tests.core.solver.shifts.tiny import (
    DAY,
    START,
    config,
    faculty,
    need,
    problem,
    residents,
    shift,
)
from tests.solve_limits import work_limited

CLINIC = shift("CLIN", "08:00", 240)


def _only(code: str, pgy: int) -> CoverageRequirement:
    """``code`` covered by exactly one resident of PGY ``pgy`` every weekday."""
    rule = Eligibility(roles=frozenset({Role.RESIDENT}), pgy_min=pgy, pgy_max=pgy)
    return CoverageRequirement(code, frozenset(range(1, 6)), 1, 1, eligibility=rule, name=code)


def _two_teams(*, supervised: bool) -> ShiftProblem:
    """PGY-1s cover DAY, PGY-2s cover the clinic: no demand, pool or rule in common. With
    ``supervised`` both shifts need the same preceptors, who can do one shift at a time."""
    people = residents(1, 1, 1, 2, 2, 2)
    shifts = [DAY, CLINIC]
    coverage = [_only("DAY", 1), _only("CLIN", 2)]
    if supervised:
        shifts = [
            replace(DAY, requires_supervision=True),
            replace(CLINIC, requires_supervision=True),
        ]
        people += faculty(2)
        coverage += [need(code, 0, 2, roles=(Role.FACULTY,)) for code in ("DAY", "CLIN")]
    return problem(people, shifts, coverage, days=28)


def _people_per_part(case: ShiftProblem) -> list[set[int]]:
    ctx = build_model(case, dict(DEFAULT_WEIGHTS)).ctx
    owner = {slot.literal.index: slot.person.id for slot in ctx.vars.decided}
    found = [{owner[v] for v in group if v in owner} for group in components(ctx.model)]
    return [people for people in found if people]


def test_two_teams_that_share_nothing_are_two_parts() -> None:
    assert sorted(_people_per_part(_two_teams(supervised=False)), key=min) == [{1, 2, 3}, {4, 5, 6}]


def test_a_supervision_link_makes_them_one_part() -> None:
    # The preceptors' weekend slots, with no resident to supervise, are parts of their own.
    teams = [
        people & {1, 2, 3, 4, 5, 6} for people in _people_per_part(_two_teams(supervised=True))
    ]
    assert [team for team in teams if team] == [{1, 2, 3, 4, 5, 6}]


def test_solved_apart_the_schedule_is_as_good_as_solved_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(components_module, "_SMALL", 100)  # each team is a part of 120
    # Every resident asks for the first Monday off; one per team cannot have it (cost 10 each).
    wishes = tuple(Request(p, RequestKind.DAY_OFF, START, START) for p in range(1, 7))
    case = replace(_two_teams(supervised=False), requests=wishes)
    whole = schedule_shifts(case, config(num_workers=1))
    apart = schedule_shifts(case, config(num_workers=1), decompose=True)
    assert whole.status is apart.status is SolveStatus.OPTIMAL
    assert apart.statistics["parts"] == 2
    assert apart.objective == whole.objective == 20
    assert apart.best_bound == apart.objective
    assert apart.solution is not None
    assert not apart.violations
    assert len(apart.solution.assignments) == len(whole.solution.assignments)  # type: ignore[union-attr]


def _two_knapsacks() -> tuple[cp_model.CpModel, list[cp_model.CpModel]]:
    """One model of two independent knapsacks (minimise what is left out), and each alone."""

    def knapsack(model: cp_model.CpModel, sizes: list[int], room: int) -> cp_model.LinearExpr:
        taken = [model.new_bool_var(f"x{i}") for i in range(len(sizes))]
        model.add(sum(s * x for s, x in zip(sizes, taken, strict=True)) <= room)
        return sum(s * (1 - x) for s, x in zip(sizes, taken, strict=True))

    first, second = ([3, 5, 7, 9, 11], 17), ([4, 6, 10, 13], 20)
    whole = cp_model.CpModel()
    whole.minimize(knapsack(whole, *first) + knapsack(whole, *second))
    alone = []
    for sizes, room in (first, second):
        model = cp_model.CpModel()
        model.minimize(knapsack(model, sizes, room))
        alone.append(model)
    return whole, alone


def test_the_bound_is_the_sum_of_the_parts_bounds() -> None:
    whole, alone = _two_knapsacks()
    limits = SolveConfig(num_workers=1, **work_limited(5.0))
    run = run_parts(whole, limits, small=1)
    each = [run_model(model, limits) for model in alone]
    assert run.statistics["parts"] == 2
    assert run.status is SolveStatus.OPTIMAL
    assert run.best_bound == sum(r.best_bound or 0 for r in each) == run.objective
    assert run.objective == run_model(whole, limits).objective
    assert run.objective == 18 + 13  # 3+5+9 fill the first, 4+6+10 the second


def test_a_model_of_one_part_runs_as_it_is() -> None:
    _, alone = _two_knapsacks()
    run = run_parts(alone[0], SolveConfig(num_workers=1, **work_limited(5.0)), small=1)
    assert "parts" not in run.statistics
    assert run.status is SolveStatus.OPTIMAL


def test_a_model_without_objective_is_not_split() -> None:
    model = cp_model.CpModel()
    x, y = model.new_bool_var("x"), model.new_bool_var("y")
    model.add(x == 1)
    model.add(y == 0)
    run = run_parts(model, SolveConfig(num_workers=1, **work_limited(5.0)), small=1)
    assert "parts" not in run.statistics
    assert run.status is SolveStatus.OPTIMAL
    assert run.solver.value(x) == 1
