"""The soft goals of the rotation plan as weighted objective terms.

Every term is exact (its value in any feasible solution is the penalty the scorer computes
from the finished plan, score.py), so the objective of any solution, optimal or not, equals the
sum of the penalties reported with it: the solver and the explanation cannot drift apart.
"""

from __future__ import annotations

from itertools import pairwise

from ortools.sat.python import cp_model

from resched.core.model import RequestKind
from resched.core.solver.plan.context import PlanContext, PlanTerm
from resched.core.solver.plan.problem import (
    HEAVY_BALANCE,
    HEAVY_STREAK,
    ROTATION_REQUEST,
    SPLIT_BLOCK,
    VACATION_REQUEST,
)
from resched.core.solver.plan.variables import PlanVars


def add_requests(ctx: PlanContext) -> None:
    problem, x, weights = ctx.problem, ctx.x, ctx.weights
    residents = {p.id for p in problem.residents}
    leave = [r.code for r in problem.rotations if r.leave_eligible]
    codes = {r.code for r in problem.rotations}
    for request in problem.requests:
        if request.person_id not in residents or request.weight <= 0:
            continue
        touched = [s for s in x.slots if s.touches(request.start, request.end)]
        if request.kind is RequestKind.ROTATION and request.rotation_code in codes:
            name, wanted = ROTATION_REQUEST, [request.rotation_code]
        elif request.kind is RequestKind.VACATION:
            name, wanted = VACATION_REQUEST, leave
        else:
            continue
        cost = weights[name] * request.weight
        # A slot off the wanted rotations costs ``cost``: 1 - (on one of them) is exactly that.
        ctx.terms += [
            PlanTerm(name, cost, 1 - x.any_of(request.person_id, s, wanted)) for s in touched
        ]


def add_streaks(ctx: PlanContext) -> None:
    """One penalty per window of ``max_heavy_run + 1`` blocks that is heavy throughout."""
    problem, x, weight = ctx.problem, ctx.x, ctx.weights[HEAVY_STREAK]
    heavy = sorted(problem.heavy_rotations)
    length = (problem.max_heavy_run + 1) * problem.halves
    if not heavy or weight == 0 or length > len(x.slots):
        return
    levels: dict[int | None, list[_Streaks]] = {}
    for person in x.residents:
        flags = [x.any_of(person, s, heavy) for s in x.slots]
        runs = []
        for start in range(len(flags) - length + 1):
            window = flags[start : start + length]
            run = x.model.new_bool_var(f"streak[{person.code},{start}]")
            # run == AND(window): forced up when all are heavy, down when any is not.
            x.model.add(cp_model.LinearExpr.sum(window) - (length - 1) <= run)
            for flag in window:
                x.model.add(run <= flag)
            runs.append(run)
        _add_streak_cut(x, flags, runs, length)
        levels.setdefault(person.pgy, []).append((flags, runs))
        ctx.terms += [PlanTerm(HEAVY_STREAK, weight, run) for run in runs]
    for level in levels.values():
        _add_window_cuts(x, level, length)


_Streaks = tuple[list[cp_model.LinearExpr], list[cp_model.IntVar]]  # one resident's flags, runs


def _add_streak_cut(
    x: PlanVars, flags: list[cp_model.LinearExpr], runs: list[cp_model.IntVar], length: int
) -> None:
    """A redundant bound that lets the solver prove optimality quickly: h heavy slots out of n
    fall into at most n - h + 1 runs, a run of k slots holds at least k - (length - 1) full
    windows, so there are at least h - (length - 1)(n - h + 1) of them. Without it the linear
    relaxation sees almost no cost in long heavy runs and the bound stalls."""
    n = len(flags)
    heavy = cp_model.LinearExpr.sum(flags)
    x.model.add(cp_model.LinearExpr.sum(runs) >= length * heavy - (length - 1) * (n + 1))


def _add_window_cuts(x: PlanVars, level: list[_Streaks], length: int) -> None:
    """Redundant: per window, the PGY level's full windows are at least its heavy slots in the
    window minus ``length - 1`` per resident (the sum of each resident's own window constraint).

    The sum is what proves the demo's optimum: with the heavy places of each block fixed by the
    capacities (9 of 12 interns), every window holds at least 27 - 24 = 3 full ones. CP-SAT's
    presolve turns each resident's own constraint into an enforced one, which only the
    ``max_lp`` worker keeps in its relaxation; the sum stays linear, so every LP worker proves
    the bound at the root (measured on the demo: ``default_lp`` alone reached 90 of 165
    before, 165 at once with it)."""
    for start in range(len(level[0][1])):
        full = cp_model.LinearExpr.sum([runs[start] for _, runs in level])
        heavy = cp_model.LinearExpr.sum(
            [flag for flags, _ in level for flag in flags[start : start + length]]
        )
        x.model.add(full >= heavy - (length - 1) * len(level))


def add_balance(ctx: PlanContext) -> None:
    """Per PGY level, the spread (max - min) of heavy slots over its residents beyond one block.

    One block of difference is allowed because it is often unavoidable (117 heavy places for 12
    residents cannot be shared evenly); charging it would cost every plan the same and leave the
    solver to prove that by integer reasoning its bound is slow at."""
    problem, x, weight = ctx.problem, ctx.x, ctx.weights[HEAVY_BALANCE]
    heavy = sorted(problem.heavy_rotations)
    if not heavy or weight == 0:
        return
    for pgy in sorted({p.pgy for p in problem.residents if p.pgy is not None}):
        people = [p for p in problem.residents if p.pgy == pgy]
        if len(people) < 2:
            continue
        counts = [x.units(p, heavy) for p in people]
        top = x.model.new_int_var(0, len(x.slots), f"heavy_max[{pgy}]")
        bottom = x.model.new_int_var(0, len(x.slots), f"heavy_min[{pgy}]")
        # Equalities, not bounds, so that the term is exact in non-optimal solutions too.
        x.model.add_max_equality(top, counts)
        x.model.add_min_equality(bottom, counts)
        excess = x.model.new_int_var(0, len(x.slots), f"heavy_excess[{pgy}]")
        x.model.add_max_equality(excess, [0, top - bottom - problem.halves])
        ctx.terms.append(PlanTerm(HEAVY_BALANCE, weight, excess))


def add_splits(ctx: PlanContext) -> None:
    """One penalty per resident and block whose halves differ: 1 - sum over rotations of
    (first half on it AND second half on it), with each AND made exact."""
    x, weight = ctx.x, ctx.weights[SPLIT_BLOCK]
    halving = [r for r in x.rotations if r.allows_half_block]
    if not halving or weight == 0:
        return
    for person in x.residents:
        for first, second in pairwise(x.slots):
            if first.block != second.block:
                continue
            kept: list[cp_model.LinearExprT] = []
            for r in x.rotations:
                a, b = x.on(person, first, r), x.on(person, second, r)
                if not r.allows_half_block:
                    kept.append(a)  # tied to b by the structure already
                    continue
                both = x.model.new_bool_var(f"whole[{person.code},{first.block},{r.code}]")
                x.model.add_bool_and([a, b]).only_enforce_if(both)
                x.model.add_bool_or([~a, ~b, both])
                kept.append(both)
            ctx.terms.append(PlanTerm(SPLIT_BLOCK, weight, 1 - cp_model.LinearExpr.sum(kept)))


def minimize(ctx: PlanContext) -> None:
    terms = ctx.terms
    ctx.x.model.minimize(
        cp_model.LinearExpr.weighted_sum([t.expr for t in terms], [t.weight for t in terms])
    )
