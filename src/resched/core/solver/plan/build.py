"""Assembling the CP-SAT model of the rotation plan, and reading a plan back out of it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from resched.core.model import BlockAssignment
from resched.core.solver.config import Hint
from resched.core.solver.explain import Requirements
from resched.core.solver.families import Kind, RuleFamily, Scope, select
from resched.core.solver.plan.constraints import (
    add_capacities,
    add_eligibility,
    add_leave,
    add_locks,
    add_prerequisites,
    add_sequences,
    add_structure,
    add_yearly,
)
from resched.core.solver.plan.context import PlanContext, PlanTerm
from resched.core.solver.plan.grid import expand_cells, plan_slots
from resched.core.solver.plan.objectives import (
    add_balance,
    add_requests,
    add_splits,
    add_streaks,
    minimize,
)
from resched.core.solver.plan.problem import (
    HEAVY_BALANCE,
    HEAVY_STREAK,
    ROTATION_REQUEST,
    SPLIT_BLOCK,
    VACATION_REQUEST,
    PlanProblem,
    RotationPlan,
)
from resched.core.solver.plan.variables import PlanVars


@dataclass(frozen=True, slots=True)
class PlanModel:
    model: cp_model.CpModel
    vars: PlanVars
    requirements: Requirements
    terms: tuple[PlanTerm, ...] = ()  # the objective's terms, by penalty name


_HARD, _SOFT, _MODEL = Kind.HARD, Kind.SOFT, Scope.MODEL

# Build order: structure first (what a plan is), then the requirements an infeasible plan
# names, then the soft goals in the order of the objective's terms.
RULE_FAMILIES: tuple[RuleFamily, ...] = (
    RuleFamily("structure", _HARD, _MODEL, add_structure, "one rotation per resident and slot; "
               "a rotation without half blocks fills both halves of a block"),
    RuleFamily("eligibility", _HARD, _MODEL, add_eligibility, "no resident on a rotation with "
               "no places for their PGY level"),
    RuleFamily("capacity", _HARD, _MODEL, add_capacities, "between min and max residents of a "
               "PGY group on a rotation in each slot"),
    RuleFamily("yearly", _HARD, _MODEL, add_yearly, "each resident's yearly blocks of a "
               "rotation between the PGY level's min and max"),
    RuleFamily("leave", _HARD, _MODEL, add_leave, "approved leave only on leave-eligible "
               "rotations"),
    RuleFamily("sequences", _HARD, _MODEL, add_sequences, "rotations that may not follow each "
               "other, in either order"),
    RuleFamily("prerequisites", _HARD, _MODEL, add_prerequisites, "a whole block of each "
               "prerequisite earlier in the year"),
    RuleFamily("locks", _HARD, _MODEL, add_locks, "locked cells hold"),
    RuleFamily("requests", _SOFT, _MODEL, add_requests, "rotation and vacation requests, per "
               "slot missed", (ROTATION_REQUEST, VACATION_REQUEST)),
    RuleFamily(HEAVY_STREAK, _SOFT, _MODEL, add_streaks, "each window of max_heavy_run + 1 "
               "heavy blocks in a row", (HEAVY_STREAK,)),
    RuleFamily(HEAVY_BALANCE, _SOFT, _MODEL, add_balance, "per PGY level, the spread of heavy "
               "slots beyond one block", (HEAVY_BALANCE,)),
    RuleFamily(SPLIT_BLOCK, _SOFT, _MODEL, add_splits, "each block whose halves differ",
               (SPLIT_BLOCK,)),
)  # fmt: skip


def build_model(
    problem: PlanProblem,
    weights: Mapping[str, int],
    *,
    explain: bool = False,
    skip: frozenset[str] = frozenset(),
    only: frozenset[str] | None = None,
) -> PlanModel:
    """The model; with ``explain`` the hard rules carry requirement literals and there is no
    objective (an explanation only asks whether the rules can hold together). ``skip`` leaves
    families of ``RULE_FAMILIES`` out; ``only`` builds just the named ones (a rule's test)."""
    model = cp_model.CpModel()
    slots = plan_slots(problem.blocks, problem.halves)
    x = PlanVars(model, problem.residents, slots, problem.rotations)
    ctx = PlanContext(problem, x, Requirements(model, explain=explain), weights)
    for family in select(RULE_FAMILIES, only=only, skip=skip, soft=not explain):
        family.add(ctx)
    if not explain:
        minimize(ctx)
    return PlanModel(model, x, ctx.requirements, tuple(ctx.terms))


def add_hints(built: PlanModel, hints: Sequence[Hint]) -> int:
    """Warm start from an earlier plan's cells; returns how many cells were hinted. Hints are
    only a starting point: CP-SAT repairs or drops them as the rules require."""
    x = built.vars
    cells, _ = expand_cells((h for h in hints if isinstance(h, BlockAssignment)), x.slots)
    residents = {p.id for p in x.residents}
    codes = {r.code for r in x.rotations}
    hinted = 0
    for (person_id, index), code in cells.items():
        if person_id in residents and code in codes:
            for r in x.rotations:
                built.model.add_hint(x.on(person_id, x.slots[index], r), r.code == code)
            hinted += 1
    return hinted


# Work allowed to completing a hint (CP-SAT deterministic time): the cells are fixed, only the
# penalty variables are left, which propagation alone settles.
_COMPLETION_WORK = 2.0


def complete_hint(built: PlanModel) -> bool:
    """Extends a hint of every cell to every variable (the streaks, the balance, the splits),
    by solving the model with the hinted cells fixed. CP-SAT takes a complete, feasible hint
    as its first solution at once; a hint of the cells alone it only follows as a search
    guide (on the demo the first solution then came after 40-90 % of the search). Returns
    False, leaving the hint as it was, when the hinted cells break a rule."""
    hint = built.model.proto.solution_hint
    if not hint.vars:
        return False
    fixed = built.model.clone()
    fixed.clear_hints()  # type: ignore[no-untyped-call]
    for index, value in zip(hint.vars, hint.values, strict=True):
        fixed.add(fixed.get_int_var_from_proto_index(index) == value)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = _COMPLETION_WORK
    if solver.solve(fixed) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False
    values = solver.response_proto.solution
    built.model.clear_hints()  # type: ignore[no-untyped-call]
    for index, value in enumerate(values):
        built.model.add_hint(built.model.get_int_var_from_proto_index(index), value)
    return True


def read_plan(problem: PlanProblem, x: PlanVars, solver: cp_model.CpSolver) -> RotationPlan:
    """The solved cells as assignments: one per block, or one per half where they differ."""
    locked = {(a.person_id, a.block_number, a.half) for a in problem.locked}
    assignments: list[BlockAssignment] = []
    for person in x.residents:
        chosen = {
            s.index: next(r.code for r in x.rotations if solver.boolean_value(x.on(person, s, r)))
            for s in x.slots
        }
        for block in sorted({s.block for s in x.slots}):
            parts = [s for s in x.slots if s.block == block]
            codes = {chosen[s.index] for s in parts}
            halves = [(None, parts[0])] if len(codes) == 1 else [(s.half, s) for s in parts]
            for half, slot in halves:
                # A whole-block cell is locked if any part of the block is.
                covers = (None, 1, 2) if half is None else (None, half)
                is_locked = any((person.id, block, h) in locked for h in covers)
                assignments.append(
                    BlockAssignment(person.id, block, chosen[slot.index], half, is_locked)
                )
    return RotationPlan(tuple(assignments))
