"""A long look-ahead solved in stages (``schedule_shifts(..., staged=True)``; off by default):
optimise the range under a short look-ahead, then find a continuation over the long one.

The long look-ahead (27 days in generation) exists only so that the next range can be
continued legally; nothing in it costs anything (context.py ``penalise``). Searching it doubles
the model and leaves a demo block unproven, while 13 days of look-ahead prove the block. So:

1. the range is optimised with ``STAGED_LOOKAHEAD_DAYS`` of look-ahead. That model is a
   relaxation of the long one when its averaging windows are among the long model's (checked:
   rolling windows are; a block window clipped at the short horizon is not, and then the stages
   are not used; the other rules look at days and pairs of days, the same in both), so its
   bound is a bound of the long model too;
2. the range found is fixed in the long model and the rest of its look-ahead searched; if that
   is infeasible, the range's last ``TAILS`` days are searched again too. A continuation is one
   of the long model's schedules, scored there, and proven optimal when it meets stage 1's bound;
3. otherwise the long model is searched whole with the time left, hinted with the continuation
   (or stage 1's range), with stage 1's bound added as a constraint on its objective (valid, as
   stage 1 is a relaxation); the better schedule is kept.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import time
from collections.abc import Callable

from resched.core.model import Assignment
from resched.core.solver.config import SolveConfig
from resched.core.solver.engine import SolverRun, run_model
from resched.core.solver.progress import CancelToken
from resched.core.solver.result import SolveStatus, relative_gap
from resched.core.solver.shifts.build import Built, build_model
from resched.core.solver.shifts.context import ModelContext
from resched.core.solver.shifts.horizon import build_horizon
from resched.core.solver.shifts.problem import ShiftProblem

# Long enough to prove a demo block optimal with its continuation mostly in view (13 days
# measured; docs/performance.md "Generation").
STAGED_LOOKAHEAD_DAYS = 13
WORK_PARAMETER = "max_deterministic_time"
# Shares of the budget: stage 1, then each continuation (the range, or all but its last TAILS
# days, fixed: the range as it is needs only a feasibility check, its tail searched again a
# real search); the long model whole gets what is left (at least 25 %, its build included) if
# no continuation is found.
FIRST_SHARE = 0.5
# Days at the range's end given back to the search when the range cannot be continued as it
# is: the tail is what the far look-ahead constrains (free days for the windows it shares).
TAILS = (0, 7)
CONTINUE_SHARES = (0.05, 0.2)
# Below this wall-clock budget the stages' extra builds and searches cost more than they save:
# the year loop's short shares search the long model whole (measured: staged, blocks given
# ~8 s each all ended without a schedule, and at ~22 s one block in nine did).
STAGED_MIN_SECONDS = 30.0
_OBJECTIVE_TOLERANCE = 1e-6


def short_problem(problem: ShiftProblem, config: SolveConfig) -> ShiftProblem | None:
    """The problem with the short look-ahead, or None when the stages do not apply (a short
    look-ahead already, published days after the range, windows that are not a relaxation, or
    a budget under ``STAGED_MIN_SECONDS``)."""
    if problem.after or problem.lookahead_days <= STAGED_LOOKAHEAD_DAYS:
        return None
    if config.time_limit_s < STAGED_MIN_SECONDS:
        return None
    short = dataclasses.replace(problem, lookahead_days=STAGED_LOOKAHEAD_DAYS)
    spans = {(w.start, w.end) for w in build_horizon(problem).windows}
    if any((w.start, w.end) not in spans for w in build_horizon(short).windows):
        return None
    return short


def portion(
    config: SolveConfig, fraction: float, spent_s: float, work_fraction: float | None = None
) -> SolveConfig:
    """``config`` with ``fraction`` of its time (at most what is left after ``spent_s``) and
    ``work_fraction`` (default ``fraction``) of its work limit."""
    parameters = dict(config.parameters)
    work = parameters.get(WORK_PARAMETER)
    if isinstance(work, int | float) and not isinstance(work, bool):
        share = fraction if work_fraction is None else work_fraction
        parameters[WORK_PARAMETER] = max(float(work) * share, 0.01)
    seconds = min(config.time_limit_s * fraction, config.time_limit_s - spent_s)
    return dataclasses.replace(config, time_limit_s=max(seconds, 0.01), parameters=parameters)


def fix_range(ctx: ModelContext, assignments: tuple[Assignment, ...], tail: int = 0) -> None:
    """Fixes every decided slot of the range but its last ``tail`` days (and not of the
    look-ahead) to ``assignments``."""
    chosen = {(a.person_id, a.date, a.shift_code) for a in assignments}
    last = ctx.problem.end - dt.timedelta(days=tail)
    for slot in ctx.vars.decided:
        if slot.day <= last:
            ctx.model.add(slot.literal == int(slot.key in chosen))


@dataclasses.dataclass(frozen=True, slots=True)
class Continued:
    """Stage 2: the long model with the range (but its last ``tail`` days) fixed, and its
    search (``run.has_solution`` when the range can be continued)."""

    built: Built
    run: SolverRun


def continue_range(
    problem: ShiftProblem,
    weights: dict[str, int],
    assignments: tuple[Assignment, ...],
    config: SolveConfig,
    cancel: CancelToken | None,
    tune: Callable[..., None],
    tail: int = 0,
) -> Continued:
    built = build_model(problem, weights)
    fix_range(built.ctx, assignments, tail)
    return Continued(built, run_model(built.ctx.model, config, cancel=cancel, tune=tune))


def chosen(continued: Continued) -> tuple[Assignment, ...]:
    """Every slot the continuation took, look-ahead included: a complete hint."""
    solver = continued.run.solver
    return tuple(
        Assignment(slot.person.id, slot.day, slot.shift.code)
        for slot in continued.built.ctx.vars.decided
        if solver.boolean_value(slot.literal)
    )


def add_floor(ctx: ModelContext, floor: float | None) -> None:
    """The objective is at least ``floor`` (a relaxation's proven bound)."""
    if floor is not None and ctx.terms:
        ctx.model.add(sum(t.weight * t.expr for t in ctx.terms) >= math.ceil(floor - 1e-6))


def proven(run: SolverRun, floor: float | None) -> bool:
    return floor is not None and run.objective is not None and run.objective <= floor + 1e-6


def with_floor(run: SolverRun, floor: float | None, *, searched_whole: bool = True) -> SolverRun:
    """``run`` with its bound raised to ``floor``; optimal when its objective meets it. A run
    that did not search the whole model (a continuation) keeps only ``floor`` as its bound."""
    if run.objective is None or (floor is None and searched_whole):
        return run
    own = run.best_bound if searched_whole else None
    bound = max(b for b in (floor, own) if b is not None) if (floor, own) != (None, None) else None
    met = bound is not None and run.objective <= bound + _OBJECTIVE_TOLERANCE
    status = run.status if searched_whole else SolveStatus.FEASIBLE
    return dataclasses.replace(
        run,
        status=SolveStatus.OPTIMAL if met else status,
        best_bound=bound,
        gap=relative_gap(run.objective, bound),
    )


def since(started: float) -> float:
    return time.monotonic() - started


def spent_work(run: SolverRun) -> float:
    """CP-SAT's deterministic time spent by ``run``."""
    work = run.statistics.get("deterministic_time", 0.0)
    return float(work) if isinstance(work, int | float) else 0.0
