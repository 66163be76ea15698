"""A range searched again around a schedule already made, and a schedule scored as it stands.

The whole year's second pass (services/generation/revisit.py) needs both: ``resolve_range``
looks for a better schedule of one block with its neighbours as they are, and ``score_range``
says what a block's days cost in the model a first solve of that block searches (its look-ahead
free), which is how the year counts them. Neither explains an infeasible model: a schedule that
cannot be continued is simply not taken.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

from resched.core.model import Assignment
from resched.core.solver.config import SolveConfig, resolve_weights
from resched.core.solver.engine import run_model
from resched.core.solver.progress import CancelToken
from resched.core.solver.result import SolveResult
from resched.core.solver.shifts.build import Built, add_hints, build_model
from resched.core.solver.shifts.counters import counts
from resched.core.solver.shifts.problem import (
    COUNTERS,
    DEFAULT_WEIGHTS,
    ShiftProblem,
    ShiftSchedule,
)
from resched.core.solver.shifts.solve import checked_result, tune

Result = SolveResult[ShiftSchedule]
type Prepare = Callable[[Built], None]


def score_range(
    problem: ShiftProblem,
    config: SolveConfig,
    days: tuple[Assignment, ...],
    *,
    hints: tuple[Assignment, ...] = (),
    cancel: CancelToken | None = None,
) -> Result:
    """``days`` as the range's schedule, every decided slot of the range fixed to it and the
    look-ahead searched for any continuation (``hints``: one to start from). The objective is
    what ``days`` cost in ``problem`` (a range's own days only: the look-ahead costs nothing);
    no solution means ``days`` cannot be continued, or the limit came first."""
    chosen = _keys(days)

    def fix(built: Built) -> None:
        for slot in built.ctx.vars.decided:
            if slot.day <= problem.end:
                built.ctx.model.add(slot.literal == int(slot.key in chosen))

    return _search(problem, config, days + hints, fix, cancel)


def resolve_range(
    problem: ShiftProblem,
    config: SolveConfig,
    days: tuple[Assignment, ...],
    *,
    hints: tuple[Assignment, ...] = (),
    cancel: CancelToken | None = None,
) -> Result:
    """The range searched again from ``days`` (and ``hints`` past it), each person keeping as
    many shifts of each fairness counter in the range as ``days`` gives them: so the year to
    date after the range, which every later range's catch-up reads, stays as it was. The bound
    is this restricted model's, not the range's."""
    kept = _tallies(problem, days)

    def keep(built: Built) -> None:
        holidays = frozenset(problem.holidays)
        found: dict[tuple[int, str], list[object]] = {}
        for slot in built.ctx.vars.decided:
            if problem.start <= slot.day <= problem.end:
                for counter in COUNTERS:
                    if counts(counter, slot.shift, slot.day, holidays):
                        found.setdefault((slot.person.id, counter), []).append(slot.literal)
        for key, literals in found.items():
            built.ctx.model.add(sum(literals) == kept.get(key, 0))  # type: ignore[arg-type]

    return _search(problem, config, days + hints, keep, cancel)


def _keys(days: tuple[Assignment, ...]) -> set[tuple[int, dt.date, str]]:
    return {(a.person_id, a.date, a.shift_code) for a in days}


def _tallies(problem: ShiftProblem, days: tuple[Assignment, ...]) -> dict[tuple[int, str], int]:
    shifts = {s.code: s for s in problem.shift_types}
    holidays = frozenset(problem.holidays)
    found: dict[tuple[int, str], int] = {}
    for a in days:
        if problem.start <= a.date <= problem.end:
            for counter in COUNTERS:
                if counts(counter, shifts[a.shift_code], a.date, holidays):
                    found[(a.person_id, counter)] = found.get((a.person_id, counter), 0) + 1
    return found


def _search(
    problem: ShiftProblem,
    config: SolveConfig,
    hints: tuple[Assignment, ...],
    prepare: Prepare,
    cancel: CancelToken | None,
) -> Result:
    started = time.monotonic()
    weights = resolve_weights(DEFAULT_WEIGHTS, {**problem.weights, **config.weights})
    built = build_model(problem, weights)
    add_hints(built.ctx, hints)
    prepare(built)
    run = run_model(built.ctx.model, config, cancel=cancel, tune=tune)
    statistics: dict[str, int | float | str] = dict(run.statistics)
    if not run.has_solution:
        return SolveResult(run.status, None, statistics=statistics, wall_time=_since(started))
    # Read, re-checked and scored exactly as a first solve's schedule is (solve.py).
    return checked_result(problem, built, run, statistics, started)


def _since(started: float) -> float:
    return time.monotonic() - started
