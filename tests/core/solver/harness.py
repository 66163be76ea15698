"""One rule family at a time: build a solver's model with that family alone, fix every decision
to a given assignment, and ask CP-SAT whether it holds and what it costs.

Every decision is fixed, so the solve is propagation only: milliseconds, and no search whose
outcome could depend on a budget. A family's verdict is then exactly what the family says about
that assignment - feasible or not, and the cost of each of its penalty names.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from resched.core.model import BlockAssignment
from resched.core.solver.families import RuleFamily
from resched.core.solver.plan.build import RULE_FAMILIES as PLAN_FAMILIES
from resched.core.solver.plan.build import build_model as build_plan
from resched.core.solver.plan.grid import expand_cells
from resched.core.solver.plan.problem import DEFAULT_WEIGHTS as PLAN_WEIGHTS
from resched.core.solver.plan.problem import PlanProblem
from resched.core.solver.shifts.build import RULE_FAMILIES as SHIFT_FAMILIES
from resched.core.solver.shifts.build import build_model as build_shifts
from resched.core.solver.shifts.problem import DEFAULT_WEIGHTS as SHIFT_WEIGHTS
from resched.core.solver.shifts.problem import ShiftProblem

ShiftKey = tuple[int, dt.date, str]  # (person id, date, shift code)
PlanCell = tuple[int, int, str]  # (person id, slot index, rotation code)


@dataclass(frozen=True, slots=True)
class Verdict:
    feasible: bool
    # Objective units per penalty name (weight x scale x amount); names costing 0 are absent.
    penalties: dict[str, int] = field(default_factory=dict)


def unit_weights(families: Iterable[RuleFamily], defaults: Mapping[str, int]) -> dict[str, int]:
    """Weight 1 for every penalty a family names or the solver weighs by default: a verdict's
    cost is then the amount itself (times a term's own scale, such as a request's weight or call
    spacing's 4 - days apart)."""
    return dict.fromkeys([*defaults, *(n for f in families for n in f.penalties)], 1)


def _solve(model: cp_model.CpModel, terms: Iterable[tuple[str, int, object]]) -> Verdict:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.max_deterministic_time = 1.0  # a bound for a mistake; fixed models need ~0
    status = solver.solve(model)
    if status == cp_model.INFEASIBLE:
        return Verdict(False)
    if status != cp_model.OPTIMAL:  # a merely feasible cost could overstate the penalty
        raise AssertionError(f"undecided: {solver.status_name(status)}")
    costs: dict[str, int] = defaultdict(int)
    for name, weight, expr in terms:
        amount = int(expr) if isinstance(expr, int) else int(solver.value(expr))
        costs[name] += weight * amount
    return Verdict(True, {n: c for n, c in costs.items() if c})


def shift_rule(
    problem: ShiftProblem,
    family: str,
    worked: Iterable[ShiftKey],
    weights: Mapping[str, int] | None = None,
    skip: frozenset[str] = frozenset(),
) -> Verdict:
    """The shift solver's ``family`` alone (less what ``skip`` names, such as one coverage
    demand), every decided slot fixed: 1 if in ``worked``, else 0. A key in ``worked`` that is
    not a decision of the model is a mistake in the test."""
    weights = dict(weights or unit_weights(SHIFT_FAMILIES, SHIFT_WEIGHTS))
    built = build_shifts(problem, weights, only=frozenset({family}), skip=skip)
    ctx = built.ctx
    wanted = set(worked)
    decided = {slot.key: slot for slot in ctx.vars.decided}
    missing = sorted(wanted - decided.keys())
    if missing:
        raise ValueError(f"not decisions of this model: {missing}")
    for key, slot in decided.items():
        ctx.model.add(slot.literal == int(key in wanted))
    return _solve(ctx.model, ((t.name, t.weight, t.expr) for t in ctx.terms))


def plan_rule(
    problem: PlanProblem,
    family: str,
    on: Iterable[PlanCell | BlockAssignment],
    weights: Mapping[str, int] | None = None,
) -> Verdict:
    """The plan solver's ``family`` alone, every cell variable fixed: 1 where ``on`` puts the
    resident (a (person, slot index, rotation) triple, or a block assignment), else 0."""
    weights = weights or unit_weights(PLAN_FAMILIES, PLAN_WEIGHTS)
    built = build_plan(problem, weights, only=frozenset({family}))
    x = built.vars
    given = list(on)
    cells, problems = expand_cells((a for a in given if isinstance(a, BlockAssignment)), x.slots)
    if problems:
        raise ValueError(problems)
    wanted = {(pid, index, code) for (pid, index), code in cells.items()}
    wanted |= {a for a in given if not isinstance(a, BlockAssignment)}
    known = {(p.id, s.index, r.code) for p in x.residents for s in x.slots for r in x.rotations}
    if wanted - known:
        raise ValueError(f"not cells of this model: {sorted(wanted - known)}")
    for person in x.residents:
        for slot in x.slots:
            for r in x.rotations:
                chosen = (person.id, slot.index, r.code) in wanted
                built.model.add(x.on(person, slot, r) == int(chosen))
    return _solve(built.model, ((t.name, t.weight, t.expr) for t in built.terms))
