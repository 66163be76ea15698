"""Building the CP-SAT model of a shift problem, and reading its solution."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from resched.core.model import Assignment, AssignmentSource
from resched.core.rest import RestPolicy
from resched.core.rules.context import Limits
from resched.core.rules.findings import (
    CALL_Q3,
    CONTINUOUS_DUTY,
    DAY_OFF,
    DOUBLE_BOOKED,
    HOURS_80,
    NIGHT_FLOAT,
    SUPERVISION_RATIO,
)
from resched.core.solver.explain import Requirements
from resched.core.solver.result import Penalty
from resched.core.solver.shifts.candidates import build_candidates
from resched.core.solver.shifts.conflicts import Clash, Timing
from resched.core.solver.shifts.constraints.calls import add_call_q3, add_night_float
from resched.core.solver.shifts.constraints.conflicts import add_double_booked, add_locks
from resched.core.solver.shifts.constraints.continuous import add_duty_periods
from resched.core.solver.shifts.constraints.coverage import add_coverage
from resched.core.solver.shifts.constraints.free_days import add_free_days
from resched.core.solver.shifts.constraints.hours import add_hours
from resched.core.solver.shifts.constraints.patterns import add_patterns, add_quotas
from resched.core.solver.shifts.constraints.rest import REST, add_rest
from resched.core.solver.shifts.constraints.supervision import add_supervision
from resched.core.solver.shifts.constraints.windows import ResidentDays, resident_days
from resched.core.solver.shifts.context import ModelContext
from resched.core.solver.shifts.horizon import build_horizon
from resched.core.solver.shifts.objectives.fairness import add_fairness
from resched.core.solver.shifts.objectives.preferences import (
    add_pair_preferences,
    add_weekend_free,
)
from resched.core.solver.shifts.objectives.repair import add_changes
from resched.core.solver.shifts.objectives.requests import add_requests
from resched.core.solver.shifts.problem import Mode, ShiftProblem
from resched.core.solver.shifts.slots import Placer
from resched.core.solver.shifts.variables import make_vars, settle_fixed


@dataclass(frozen=True, slots=True)
class Built:
    ctx: ModelContext
    broken: tuple[Clash, ...]  # clashes among published slots alone: not the solver's doing


def build_model(
    problem: ShiftProblem,
    weights: dict[str, int],
    *,
    explain: bool = False,
    skip: frozenset[str] = frozenset(),
) -> Built:
    """The model of ``problem``; ``skip`` leaves out families of hard constraints (by the
    names of ``FAMILIES``), which is how a diagnosis finds the ones that conflict."""
    horizon = build_horizon(problem)
    candidates = build_candidates(problem, horizon, Placer(horizon))
    rules = problem.program.rules
    timing = Timing(
        merge_gap=rules.merge_gap_minutes * 60,
        limits=Limits.of(rules),
        rest=RestPolicy.of(problem.program),
    )
    clashes, broken = settle_fixed(candidates, timing)
    model = cp_model.CpModel()
    ctx = ModelContext(
        problem=problem,
        horizon=horizon,
        model=model,
        vars=make_vars(model, candidates),
        candidates=candidates,
        clashes=clashes,
        timing=timing,
        requirements=Requirements(model, explain=explain),
        weights=weights,
        people={p.id: p for p in problem.people},
    )
    _add_rules(ctx, skip)
    if not explain and not skip:  # an explanation asks only whether the rules can hold together
        _add_goals(ctx)
        model.minimize(sum(t.weight * t.expr for t in ctx.terms))
    return Built(ctx, tuple(broken))


# Families of hard constraints, named by the rule ids of core.rules where they have one.
COVERAGE, LOCKS, QUOTAS = "coverage", "locks", "quotas"
FAMILIES: tuple[str, ...] = (
    LOCKS,
    DOUBLE_BOOKED,
    CONTINUOUS_DUTY,
    SUPERVISION_RATIO,
    QUOTAS,
    HOURS_80,
    DAY_OFF,
    CALL_Q3,
    NIGHT_FLOAT,
    REST,
)


def _add_rules(ctx: ModelContext, skip: frozenset[str]) -> None:
    add_coverage(ctx, skip)
    steps: tuple[tuple[str, Callable[[ModelContext], None]], ...] = (
        (DOUBLE_BOOKED, add_double_booked),
        (LOCKS, add_locks),
        (CONTINUOUS_DUTY, add_duty_periods),
        (SUPERVISION_RATIO, add_supervision),
        (QUOTAS, add_quotas),
        (REST, add_rest),
    )
    for family, add in steps:
        if family not in skip:
            add(ctx)
    add_patterns(ctx)
    per_resident: tuple[tuple[str, Callable[[ModelContext, ResidentDays], None]], ...] = (
        (HOURS_80, add_hours),
        (DAY_OFF, add_free_days),
        (CALL_Q3, add_call_q3),
        (NIGHT_FLOAT, add_night_float),
    )
    for days in resident_days(ctx):
        for family, add_for in per_resident:
            if family not in skip:
                add_for(ctx, days)
        if not skip:
            add_weekend_free(ctx, days)


def _add_goals(ctx: ModelContext) -> None:
    add_pair_preferences(ctx)
    add_fairness(ctx)
    add_requests(ctx)
    if ctx.problem.mode is Mode.REPAIR:
        add_changes(ctx)


def add_hints(ctx: ModelContext, hints: tuple[Assignment, ...]) -> int:
    """Hints every decided slot (1 if hinted, else 0): a complete hint is what CP-SAT can
    repair fastest. Returns the number of slots hinted 1."""
    wanted = {(a.person_id, a.date, a.shift_code) for a in hints}
    hinted = 0
    for slot in ctx.vars.decided:
        on = slot.key in wanted
        ctx.model.add_hint(slot.literal, on)
        hinted += on
    return hinted


def read_assignments(ctx: ModelContext, solver: cp_model.CpSolver) -> tuple[Assignment, ...]:
    locked = {(a.person_id, a.date, a.shift_code) for a in ctx.problem.locked}
    published = {(a.person_id, a.date, a.shift_code): a for a in ctx.problem.published}
    source = (
        AssignmentSource.REPAIR if ctx.problem.mode is Mode.REPAIR else AssignmentSource.GENERATED
    )
    found = []
    for slot in ctx.vars.decided:
        if slot.day <= ctx.problem.end and solver.boolean_value(slot.literal):
            kept = published.get(slot.key) if ctx.problem.mode is Mode.REPAIR else None
            found.append(
                kept
                or Assignment(
                    slot.person.id,
                    slot.day,
                    slot.shift.code,
                    source=source,
                    locked=slot.key in locked,
                )
            )
    found.sort(key=lambda a: (a.date, a.shift_code, a.person_id))
    return tuple(found)


def _value(solver: cp_model.CpSolver, expr: Any) -> int:
    return int(expr) if isinstance(expr, int) else int(solver.value(expr))


def read_penalties(ctx: ModelContext, solver: cp_model.CpSolver) -> tuple[Penalty, ...]:
    found = []
    for term in ctx.terms:
        amount = _value(solver, term.expr)
        if amount:
            text = term.explain if isinstance(term.explain, str) else term.explain(amount)
            found.append(
                Penalty(
                    term.name, term.weight, amount, text, person_id=term.person_id, date=term.date
                )
            )
    return tuple(found)
