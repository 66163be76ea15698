"""``schedule_shifts``: the call/shift schedule of a date range, solved, checked and explained."""

from __future__ import annotations

import dataclasses
import time

from ortools.sat.python import cp_model

from resched.core.model import Assignment
from resched.core.solver.config import SolveConfig, resolve_weights
from resched.core.solver.engine import SolverRun, run_model, tighten
from resched.core.solver.progress import CancelToken, ProgressCallback
from resched.core.solver.result import SolveResult, SolveStatus
from resched.core.solver.shifts.build import (
    Built,
    add_hints,
    build_model,
    read_assignments,
    read_penalties,
)
from resched.core.solver.shifts.components import run_parts
from resched.core.solver.shifts.diagnose import diagnose
from resched.core.solver.shifts.hint import first_solution, hint_all
from resched.core.solver.shifts.local_bounds import add_local_bounds
from resched.core.solver.shifts.precheck import precheck
from resched.core.solver.shifts.problem import DEFAULT_WEIGHTS, Mode, ShiftProblem, ShiftSchedule
from resched.core.solver.shifts.staged import (
    CONTINUE_SHARES,
    FIRST_SHARE,
    TAILS,
    Continued,
    add_floor,
    chosen,
    continue_range,
    portion,
    proven,
    short_problem,
    since,
    spent_work,
    with_floor,
)
from resched.core.solver.shifts.validate import check_schedule

Result = SolveResult[ShiftSchedule]
_OBJECTIVE_TOLERANCE = 1e-6


def schedule_shifts(
    problem: ShiftProblem,
    config: SolveConfig,
    *,
    on_progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    decompose: bool = False,
    staged: bool = False,
    greedy: bool | None = None,
) -> Result:
    """Assigns shifts for ``problem.start``..``problem.end`` under every rule of ACGME.md.

    Always returns a result: a schedule re-checked by ``core.rules`` (any violation it finds is
    listed in ``violations``, never hidden), or no schedule and a status that says why;
    ``infeasible`` comes with the conflicting requirements in coordinator words.
    ``decompose`` searches the model's independent parts one at a time (components.py): the
    same optimum and a bound that is the sum of the parts' bounds. ``staged`` searches a long
    look-ahead in stages (staged.py): off by default, as on a loaded machine at 30 s it did
    worse than the whole model (docs/performance.md).
    """
    started = time.monotonic()
    weights = resolve_weights(DEFAULT_WEIGHTS, {**problem.weights, **config.weights})
    short = short_problem(problem, config) if staged and not decompose else None
    if short is not None:
        return _staged(problem, short, config, weights, on_progress, cancel, started)
    return _single(
        problem, config, weights, on_progress, cancel, started, {}, decompose, greedy=greedy
    )


# Models with at least this many slots to decide start from a greedy first schedule when no
# hint is given (hint.py): the 150-resident block alone (15,680 slots) had its first schedule
# at 19 s instead of 98 s (docs/performance.md); the demo's blocks (7,650 with look-ahead) and
# 60 residents' (12,261) CP-SAT solves from nothing in about a second.
GREEDY_FROM_SLOTS = 15_000
GREEDY_SHARE = 0.25  # of the time limit, at most, for completing the greedy schedule


def _hint(
    built: Built,
    problem: ShiftProblem,
    config: SolveConfig,
    statistics: dict[str, int | float | str],
    greedy: bool | None,
) -> int:
    """Hints the model: with the given hints or the published schedule, else (``greedy``,
    or None and a large model) with a greedy first schedule, completed to a solution of the
    whole model if it can be (every variable hinted), else its slots alone."""
    hints = _hints(problem, config)
    slots = len(built.ctx.vars.decided)
    if hints or not (greedy or (greedy is None and slots >= GREEDY_FROM_SLOTS)):
        return add_hints(built.ctx, hints)
    started = time.monotonic()
    share = dataclasses.replace(config, time_limit_s=config.time_limit_s * GREEDY_SHARE)
    found = first_solution(built.ctx, share)
    statistics["greedy_s"] = round(time.monotonic() - started, 4)
    statistics["greedy_complete"] = int(isinstance(found, list))
    if isinstance(found, list):
        hint_all(built.ctx.model, found)
        return sum(found[s.literal.index] for s in built.ctx.vars.decided)
    return add_hints(built.ctx, found)


def _single(
    problem: ShiftProblem,
    config: SolveConfig,
    weights: dict[str, int],
    on_progress: ProgressCallback | None,
    cancel: CancelToken | None,
    started: float,
    statistics: dict[str, int | float | str],
    decompose: bool = False,
    floor: float | None = None,
    greedy: bool | None = None,
) -> Result:
    """The problem's model built and searched in one piece (or by its independent parts).
    ``floor``: a proven lower bound of its objective (staged.py), added to the model."""
    built = build_model(problem, weights)
    statistics.update(
        {"build_s": round(time.monotonic() - started, 4), "slots": len(built.ctx.vars.decided)}
    )
    conflicts = precheck(built.ctx)
    if conflicts:
        statistics["precheck_conflicts"] = len(conflicts)
        return SolveResult(
            SolveStatus.INFEASIBLE,
            None,
            conflicts=tuple(conflicts),
            statistics=statistics,
            wall_time=_since(started),
        )
    # Not when searching by parts: a week's bound spans the residents of a rotation, and its
    # constraint would tie independent parts back together.
    bounds = None if decompose else add_local_bounds(built.ctx, config.seed, cancel, config.workers)
    statistics.update(bounds.statistics() if bounds else {})
    statistics["hinted"] = _hint(built, problem, config, statistics, greedy)
    # The time the bounds and the greedy took comes out of the search's.
    before = (bounds.seconds if bounds else 0.0) + float(statistics.get("greedy_s", 0.0))
    limit = config.time_limit_s
    config = dataclasses.replace(config, time_limit_s=max(min(1.0, limit), limit - before))
    add_floor(built.ctx, floor)
    search = run_parts if decompose else run_model
    run = search(built.ctx.model, config, on_progress=on_progress, cancel=cancel, tune=tune)
    statistics.update(run.statistics)
    run = with_floor(run, floor)
    if run.status is SolveStatus.INFEASIBLE:
        return _explain(problem, config, weights, cancel, statistics, started)
    if not run.has_solution:
        return SolveResult(run.status, None, statistics=statistics, wall_time=_since(started))
    return checked_result(problem, built, run, statistics, started)


def _staged(
    problem: ShiftProblem,
    short: ShiftProblem,
    config: SolveConfig,
    weights: dict[str, int],
    on_progress: ProgressCallback | None,
    cancel: CancelToken | None,
    started: float,
) -> Result:
    """A long look-ahead in stages (staged.py): the range under a short look-ahead; its
    continuation over the long one, as it is or with its tail searched again; the long model
    whole, from stage 1's range and above its bound, only if no continuation is found."""
    built = build_model(short, weights)
    statistics: dict[str, int | float | str] = {
        "staged_lookahead_days": short.lookahead_days,
        "build_s": round(time.monotonic() - started, 4),
        "slots": len(built.ctx.vars.decided),
    }
    if precheck(built.ctx):  # the long model's own precheck names the conflicts
        return _single(problem, config, weights, on_progress, cancel, started, statistics)
    statistics["hinted"] = add_hints(built.ctx, _hints(problem, config))
    first = run_model(
        built.ctx.model,
        portion(config, FIRST_SHARE, since(started)),
        on_progress=on_progress,
        cancel=cancel,
        tune=tune,
    )
    statistics.update({f"short_{k}": v for k, v in first.statistics.items()})
    shown = ("variables", "constraints", "first_solution_s", "solutions")
    statistics.update({k: first.statistics[k] for k in shown if k in first.statistics})
    work = [spent_work(first)]
    left = 1.0 - FIRST_SHARE
    if not first.has_solution:
        rest = portion(config, 1.0, since(started), left)
        return _single(problem, rest, weights, on_progress, cancel, started, statistics)
    floor = first.best_bound  # stage 1 is a relaxation: its bound holds for the long model
    found = read_assignments(built.ctx, first.solver)
    best: Continued | None = None
    for tail, fraction in zip(TAILS, CONTINUE_SHARES, strict=True):
        share = portion(config, fraction, since(started))
        tried = continue_range(problem, weights, found, share, cancel, tune, tail)
        left -= fraction
        work.append(spent_work(tried.run))
        statistics[f"continue_{tail}_status"] = str(tried.run.status)
        statistics[f"continue_{tail}_objective"] = tried.run.objective or 0
        if tried.run.has_solution and (
            best is None or (tried.run.objective or 0) < (best.run.objective or 0)
        ):
            best = tried
        if best is not None and (best.run.objective or 0) <= (first.objective or 0):
            break  # as good as stage 1 found: a search of the tail cannot be expected to beat it
    statistics["work_total"] = round(sum(work), 4)
    if best is not None and (proven(best.run, floor) or since(started) >= config.time_limit_s):
        return _continued(problem, best, floor, statistics, started)
    # The time left goes to the long model whole, above stage 1's bound, from the continuation
    # (a complete hint, look-ahead included) or else from stage 1's range.
    hints = found if best is None else chosen(best)
    rest = dataclasses.replace(portion(config, 1.0, since(started), left), hints=hints)
    whole = _single(problem, rest, weights, on_progress, cancel, started, statistics, False, floor)
    statistics["work_total"] = round(sum(work) + float(statistics.get("deterministic_time", 0)), 4)
    if best is not None and (
        whole.objective is None or (best.run.objective or 0) < whole.objective
    ):
        return _continued(problem, best, floor, statistics, started)
    return whole


def _continued(
    problem: ShiftProblem,
    best: Continued,
    floor: float | None,
    statistics: dict[str, int | float | str],
    started: float,
) -> Result:
    statistics["continued"] = 1
    statistics["deterministic_time"] = statistics["work_total"]
    run = with_floor(best.run, floor, searched_whole=False)
    return checked_result(problem, best.built, run, statistics, started)


# The full linear relaxation as one of the workers: CP-SAT's ``max_lp`` with every row in the LP
# from the start (``add_lp_constraints_lazily: false``) rather than added as it is violated.
# Demo blocks 1 and 5 with 27 days of look-ahead at 8 units of work, 4 seeds: mean gaps 5.7 and
# 5.5 % against 8.8 and 8.5 % with ``max_lp``; no measurable change on the 150-resident block
# (docs/performance.md, "150 residents: where the gap comes from").
FULL_LP = "max_lp_eager"
_FULL_LP_PARAMETERS = (
    f'subsolver_params {{ name: "{FULL_LP}" linearization_level: 2 '
    "add_lp_constraints_lazily: false }"
)


def tune(params: cp_model.SatParameters, config: SolveConfig) -> None:
    """With two workers or more, one of them searches with the full linear relaxation
    (clauses and Boolean constraints linearised too, ``FULL_LP``). The default relaxation
    leaves out the free-day and pattern constraints, which are all Boolean, and so proves no
    bound on the days off that 1-in-7 forces; with them the demo's blocks are proven within 1 %."""
    if config.num_workers != 1:
        params.merge_text_format(_FULL_LP_PARAMETERS)
        params.extra_subsolvers.append(FULL_LP)


def _hints(problem: ShiftProblem, config: SolveConfig) -> tuple[Assignment, ...]:
    hints = tuple(h for h in config.hints if isinstance(h, Assignment))
    if not hints and problem.mode is not Mode.FRESH:
        hints = problem.published
    return hints


def checked_result(
    problem: ShiftProblem,
    built: Built,
    run: SolverRun,
    statistics: dict[str, int | float | str],
    started: float,
) -> Result:
    """The run's schedule read back, tightened, re-checked by ``core.rules`` and its penalties
    held to the solver's objective (a difference is listed as an internal violation)."""
    ctx = built.ctx
    run = tighten(ctx.model, run, [s.literal for s in ctx.vars.decided])
    statistics.update({k: v for k, v in run.statistics.items() if k == "tightened_from"})
    assignments = read_assignments(ctx, run.solver)
    penalties = read_penalties(ctx, run.solver)
    violations, warnings = check_schedule(problem, ctx.horizon, assignments)
    scored = sum(p.cost for p in penalties)
    if run.objective is not None and abs(run.objective - scored) > _OBJECTIVE_TOLERANCE:
        violations.append(
            f"internal: the solver's objective {run.objective:g} differs from the penalties "
            f"read back ({scored}); the penalties shown may not explain this schedule"
        )
    published = {(a.person_id, a.date, a.shift_code) for a in problem.published}
    chosen = {(a.person_id, a.date, a.shift_code) for a in assignments}
    schedule = ShiftSchedule(
        start=problem.start,
        end=problem.end,
        assignments=assignments,
        warnings=tuple(warnings),
        added=tuple(a for a in assignments if (a.person_id, a.date, a.shift_code) not in published),
        removed=tuple(
            a
            for a in problem.published
            if problem.start <= a.date <= problem.end
            and (a.person_id, a.date, a.shift_code) not in chosen
        ),
    )
    return SolveResult(
        status=run.status,
        solution=schedule,
        objective=run.objective,
        best_bound=run.best_bound,
        gap=run.gap,
        penalties=penalties,
        violations=tuple(violations),
        statistics=statistics,
        wall_time=_since(started),
    )


def _explain(
    problem: ShiftProblem,
    config: SolveConfig,
    weights: dict[str, int],
    cancel: CancelToken | None,
    statistics: dict[str, int | float | str],
    started: float,
) -> Result:
    found = diagnose(problem, weights, config, cancel)
    conflicts = list(found.conflicts)
    if not conflicts:
        conflicts.append("The schedule is infeasible for a reason outside the named rules.")
    statistics["conflict_minimal"] = int(found.minimal)
    return SolveResult(
        SolveStatus.INFEASIBLE,
        None,
        conflicts=tuple(conflicts),
        statistics=statistics,
        wall_time=_since(started),
    )


def _since(started: float) -> float:
    return time.monotonic() - started
