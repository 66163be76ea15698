"""Building the CP-SAT model of a shift problem, and reading its solution."""

from __future__ import annotations

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
from resched.core.solver.families import Kind, RuleFamily, Scope, hard_names, select
from resched.core.solver.result import Penalty
from resched.core.solver.shifts.candidates import build_candidates
from resched.core.solver.shifts.conflicts import Clash, Timing
from resched.core.solver.shifts.constraints.calls import add_call_q3, add_night_float
from resched.core.solver.shifts.constraints.conflicts import add_double_booked, add_locks
from resched.core.solver.shifts.constraints.continuous import add_duty_periods
from resched.core.solver.shifts.constraints.coverage import add_coverage, add_extra_shifts
from resched.core.solver.shifts.constraints.free_days import add_free_days
from resched.core.solver.shifts.constraints.hours import add_hours
from resched.core.solver.shifts.constraints.patterns import add_patterns, add_quotas
from resched.core.solver.shifts.constraints.rest import REST, add_rest
from resched.core.solver.shifts.constraints.supervision import add_supervision
from resched.core.solver.shifts.constraints.windows import resident_days
from resched.core.solver.shifts.context import ModelContext
from resched.core.solver.shifts.horizon import build_horizon
from resched.core.solver.shifts.objectives.fairness import add_fairness
from resched.core.solver.shifts.objectives.preferences import (
    add_pair_preferences,
    add_weekend_free,
)
from resched.core.solver.shifts.objectives.repair import add_changes
from resched.core.solver.shifts.objectives.requests import add_requests
from resched.core.solver.shifts.problem import (
    CALL_SPACING,
    CHANGED_ASSIGNMENT,
    CONTINUITY_CLINIC,
    EXTRA_SHIFT,
    FAIR_CALLS,
    FAIR_CATCH_UP,
    FAIR_HOLIDAYS,
    FAIR_NIGHTS,
    FAIR_WEEKENDS,
    PATTERN_DAY_OFF,
    REQUEST_DAY_OFF,
    REQUEST_SHIFT_OFF,
    REQUEST_SHIFT_ON,
    REST_8H,
    WEEKEND_FREE,
    Mode,
    ShiftProblem,
)
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
    only: frozenset[str] | None = None,
) -> Built:
    """The model of ``problem``; ``skip`` leaves out families of hard constraints (by the
    names of ``FAMILIES``, and coverage demands as ``coverage:<index>``), which is how a
    diagnosis finds the ones that conflict; ``only`` builds just the named families of
    ``RULE_FAMILIES`` (hard or soft), which is how a test checks one rule alone."""
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
        left_out=skip,
    )
    # An explanation or a diagnosis asks only whether the rules can hold together.
    soft = not explain and not skip
    families = select(RULE_FAMILIES, only=only, skip=skip, soft=soft)
    ctx.families = frozenset(f.name for f in families)
    _add_families(ctx, families)
    if not explain and (soft or only is not None):
        model.minimize(sum(t.weight * t.expr for t in ctx.terms))
    return Built(ctx, tuple(broken))


def _add_families(ctx: ModelContext, families: tuple[RuleFamily, ...]) -> None:
    """In table order; a run of per-resident families is added resident by resident."""
    per_resident: list[RuleFamily] = []

    def flush() -> None:
        if per_resident:
            for days in resident_days(ctx):
                for family in per_resident:
                    family.add(ctx, days)
            per_resident.clear()

    for family in families:
        if family.scope is Scope.RESIDENT:
            per_resident.append(family)
        else:
            flush()
            family.add(ctx)
    flush()


# Families named by the rule ids of core.rules where they have one, else by their penalty.
COVERAGE, LOCKS, QUOTAS = "coverage", "locks", "quotas"
PATTERNS, PAIR_PREFERENCES, FAIRNESS, REQUESTS = (
    "patterns",
    "pair_preferences",
    "fairness",
    "requests",
)
_MODEL, _RESIDENT, _HARD, _SOFT = Scope.MODEL, Scope.RESIDENT, Kind.HARD, Kind.SOFT

# Build order. The hard families (coverage aside) in this order are also the order in which a
# diagnosis tries leaving them out (FAMILIES).
RULE_FAMILIES: tuple[RuleFamily, ...] = (
    RuleFamily(COVERAGE, _HARD, _MODEL, add_coverage, "between min and max eligible people on "
               "each demanded shift, day by day (coverage:<index> names one demand)"),
    RuleFamily(EXTRA_SHIFT, _SOFT, _MODEL, add_extra_shifts, "a slot beyond a demand's minimum "
               "that no pattern asks for", (EXTRA_SHIFT,)),
    RuleFamily(LOCKS, _HARD, _MODEL, add_locks, "locked assignments hold"),
    RuleFamily(DOUBLE_BOOKED, _HARD, _MODEL, add_double_booked, "one shift at a time per person"),
    RuleFamily(CONTINUOUS_DUTY, _HARD, _MODEL, add_duty_periods, "continuous duty at most 24 + 4 "
               "h, and the rest after 24 h on duty"),
    RuleFamily(SUPERVISION_RATIO, _HARD, _MODEL, add_supervision, "enough supervising faculty "
               "for the residents of a session"),
    RuleFamily(QUOTAS, _HARD, _MODEL, add_quotas, "the rotations' weekly quotas in full weeks; "
               "a part week's missed minimum costs continuity_clinic", (CONTINUITY_CLINIC,)),
    RuleFamily(PATTERNS, _SOFT, _MODEL, add_patterns, "a rotation's weekly pattern is worked "
               "unless another shift excuses it; a day taken off it costs", (PATTERN_DAY_OFF,)),
    RuleFamily(HOURS_80, _HARD, _RESIDENT, add_hours, "at most 80 h a week averaged over 4 "
               "weeks, leave left out"),
    RuleFamily(DAY_OFF, _HARD, _RESIDENT, add_free_days, "one day in 7 free, averaged over 4 "
               "weeks, leave left out"),
    RuleFamily(CALL_Q3, _HARD, _RESIDENT, add_call_q3, "in-house call at most every 3rd night, "
               "averaged over 4 weeks (9 in 28 legal, 10 not)"),
    RuleFamily(NIGHT_FLOAT, _HARD, _RESIDENT, add_night_float, "at most the program's number of "
               "night-float nights in a row"),
    RuleFamily(REST, _HARD, _MODEL, add_rest, "the program's minimum rest between a resident's "
               "shifts except allowed sequences, and a free day after night float"),
    RuleFamily(WEEKEND_FREE, _SOFT, _RESIDENT, add_weekend_free, "a free weekend day in every "
               "two weekends on a weekend rotation", (WEEKEND_FREE,)),
    RuleFamily(PAIR_PREFERENCES, _SOFT, _MODEL, add_pair_preferences, "calls closer than every "
               "4th night, and less than 8 h off between duty periods", (CALL_SPACING, REST_8H)),
    RuleFamily(FAIRNESS, _SOFT, _MODEL, add_fairness, "calls, weekends, holidays and nights "
               "evenly spread within a pool in the range, and a bounded catch-up of the year",
               (FAIR_CALLS, FAIR_WEEKENDS, FAIR_HOLIDAYS, FAIR_NIGHTS, FAIR_CATCH_UP)),
    RuleFamily(REQUESTS, _SOFT, _MODEL, add_requests, "days off, shifts wanted and shifts not "
               "wanted", (REQUEST_DAY_OFF, REQUEST_SHIFT_ON, REQUEST_SHIFT_OFF)),
    RuleFamily(CHANGED_ASSIGNMENT, _SOFT, _MODEL, add_changes, "in a repair, each assignment "
               "added to or removed from the published schedule", (CHANGED_ASSIGNMENT,)),
)  # fmt: skip
FAMILIES: tuple[str, ...] = tuple(n for n in hard_names(RULE_FAMILIES) if n != COVERAGE)


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
