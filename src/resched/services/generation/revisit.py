"""The whole year's second pass: the blocks farthest from their bounds searched again with the
time the first pass left, each change kept only if the year is better for it.

A step takes one block (the largest gap first) and searches it again with the blocks before it
as stored and the next blocks' days fixed as context (no look-ahead: half the model), from its
first-pass schedule, each person keeping as many calls, weekend, holiday and night shifts in
the block as before, so the year to date that every later block's catch-up reads is unchanged
(core/solver/shifts/revisit.py). The new days are then scored honestly, in the models the year
counts: the block's own (its history as stored, its look-ahead free, as its first solve saw
it), and that of every later block whose 27 days of history reach into it, with that block's
days as stored and the new days as its history. A term of a later block that reaches back (two
calls close together, a pair of weekends, rest across the boundary) is so counted again.

**The bound after a step.** The block's own model is unchanged (same history, same year to
date), so its first-pass bound still bounds every schedule of it, the new one included. A
later block whose history changed has a new model: its old bound proves nothing about it, so
that block is searched again from its stored days, in its new model with its days free, and
the bound proven there replaces the old one (its schedule stays the stored one, scored above;
a better one it finds is not taken, since that would change the history of the blocks after
it). Blocks whose model is unchanged keep their days, objective and bound. So each block's
bound stays a proven lower bound on its objective given the blocks before it as stored.

A step is kept only if the year's objective (the sum of the blocks' scores) falls, its gap to
the sum of the bounds does not grow, and no block scored has a violation; otherwise nothing
changes.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, replace

from resched.core.model import Assignment, Block, BlockAssignment
from resched.core.solver import CancelToken, SolveConfig
from resched.core.solver.result import relative_gap
from resched.core.solver.shifts import ShiftProblem
from resched.core.solver.shifts.counters import tally
from resched.services.common import SessionFactory, read
from resched.services.generation.inputs import LOOK_BACK_DAYS, Base, shift_problem
from resched.services.generation.specs import YearSpec
from resched.services.generation.year_blocks import Done, YearSoFar, done_block

# Of the year's budget kept from the first pass for the second. 0: the second pass has only what
# the first leaves (blocks proven early), since at equal work the first pass's longer searches
# gave the year more (docs/performance.md: 19.2 % against 44.5 % at 9 units a block).
REVISIT_SHARE = 0.0
MIN_STEP_S = 10.0  # a step is not begun with less
BOUND_SHARE = 1 / 3  # of a step, for proving the bounds of the blocks after the one changed
SCORE_S = 30.0  # scoring fixed days: presolve and a first continuation, normally a second


@dataclass(frozen=True, slots=True)
class YearContext:
    """What every block's model of the run is read from."""

    factory: SessionFactory
    spec: YearSpec
    version_id: int | None
    plan: tuple[BlockAssignment, ...]
    outside: tuple[Assignment, ...]  # the base's shifts outside the year

    def problem(self, block: Block, days: list[tuple[Assignment, ...]], index: int) -> ShiftProblem:
        """Block ``index``'s own model (its first solve's): the blocks before it as ``days``
        holds them, its look-ahead free."""
        earlier = tuple(a for d in days[:index] for a in d)
        return self._read(block, earlier)

    def between(self, block: Block, days: list[tuple[Assignment, ...]], index: int) -> ShiftProblem:
        """Block ``index`` with every other block's days fixed: the next ones as context."""
        others = tuple(a for i, d in enumerate(days) if i != index for a in d)
        return self._read(block, others)

    def _read(self, block: Block, shifts: tuple[Assignment, ...]) -> ShiftProblem:
        range_spec = self.spec.block_spec(block)
        base = Base(self.version_id, self.plan, self.outside + shifts)
        with read(self.factory) as session:
            return shift_problem(session, range_spec, base)


def revisit(
    context: YearContext, year: YearSoFar, until: float, cancel: CancelToken | None = None
) -> None:
    """Second-pass steps on ``year``'s blocks, the largest gap first (objective - bound: what
    the block adds to the year's), while ``until`` (a ``time.monotonic()`` instant) leaves
    time for one, each with half the time left (all of it for the last candidate); ``year``
    keeps each step that helps."""
    gaps = [(d.report.objective or 0.0) - (d.report.bound or 0.0) for d in year.done]
    order = [i for i in sorted(range(len(gaps)), key=lambda i: -gaps[i]) if gaps[i] > 0]
    for position, index in enumerate(order):
        left = until - time.monotonic()
        share = left / min(2, len(order) - position)
        if share < MIN_STEP_S or (cancel is not None and cancel.cancelled):
            return
        year.revisited += 1
        if _step(context, year, index, share, cancel):
            year.improved += 1


def _config(spec: YearSpec, seconds: float) -> SolveConfig:
    config = spec.config
    return SolveConfig(
        time_limit_s=max(1.0, seconds),
        seed=config.seed,
        num_workers=config.num_workers,
        weights=config.weights,
        parameters=config.parameters,
    )


def _affected(blocks: list[Block], index: int) -> list[int]:
    """The later blocks whose history (LOOK_BACK_DAYS before their start) reaches into block
    ``index``."""
    end = blocks[index].end
    return [
        j
        for j in range(index + 1, len(blocks))
        if blocks[j].start - dt.timedelta(days=LOOK_BACK_DAYS) <= end
    ]


def _step(
    context: YearContext, year: YearSoFar, index: int, seconds: float, cancel: CancelToken | None
) -> bool:
    from resched.core.solver.shifts.revisit import resolve_range  # lazily: ortools

    began = time.monotonic()
    blocks = [d.block for d in year.done]
    days = [d.days for d in year.done]
    block = blocks[index]
    later = tuple(a for d in days[index + 1 :] for a in d)
    search = _config(context.spec, seconds * (1 - BOUND_SHARE))
    problem = context.between(block, days, index)
    found = resolve_range(problem, search, days[index], hints=later, cancel=cancel)
    if found.solution is None or found.violations:
        return False
    trial = list(days)
    trial[index] = found.solution.assignments
    if set(trial[index]) == set(days[index]) or _tally(problem, trial[index]) != _tally(
        problem, days[index]
    ):
        return False  # nothing new, or a later block's year to date would change
    scored = _scored(context, year, trial, [index, *_affected(blocks, index)], cancel)
    if scored is None:
        return False
    old = sum(year.done[i].report.objective or 0.0 for i in scored)
    if sum(d.report.objective or 0.0 for d in scored.values()) >= old:
        return False
    per_block = seconds * BOUND_SHARE / max(1, len(scored) - 1)
    for j in list(scored)[1:]:
        bound = _bound(context, trial, blocks[j], j, per_block, cancel)
        if bound is None:
            return False
        scored[j] = _rebound(scored[j], bound)
    return _keep(year, scored, time.monotonic() - began)


def _tally(problem: ShiftProblem, days: tuple[Assignment, ...]) -> dict[int, dict[str, int]]:
    found = tally(days, problem.shift_types, problem.holidays)
    return {person: kept for person, kept in found.items() if any(kept.values())}


def _scored(
    context: YearContext,
    year: YearSoFar,
    trial: list[tuple[Assignment, ...]],
    indices: list[int],
    cancel: CancelToken | None,
) -> dict[int, Done] | None:
    """Each of ``indices`` scored in its own model with ``trial``'s days (None: one cannot be
    continued or has a violation). The first keeps its bound (its model is unchanged)."""
    from resched.core.solver.shifts.revisit import score_range  # lazily: ortools

    found: dict[int, Done] = {}
    for j in indices:
        block = year.done[j].block
        problem = context.problem(block, trial, j)
        after = tuple(a for d in trial[j + 1 :] for a in d)
        config = _config(context.spec, SCORE_S)
        result = score_range(problem, config, trial[j], hints=after, cancel=cancel)
        if result.solution is None or result.violations or result.objective is None:
            return None
        found[j] = done_block(block, problem, result, 0.0, year.done[j].report.bound)
    return found


def _bound(
    context: YearContext,
    trial: list[tuple[Assignment, ...]],
    block: Block,
    index: int,
    seconds: float,
    cancel: CancelToken | None,
) -> float | None:
    """A proven lower bound on block ``index``'s objective in its model under ``trial``."""
    from resched.core.solver.shifts import schedule_shifts  # lazily: ortools

    hints = tuple(a for d in trial[index:] for a in d)
    config = replace(_config(context.spec, seconds), hints=hints)
    result = schedule_shifts(context.problem(block, trial, index), config, cancel=cancel)
    return result.best_bound


def _rebound(done: Done, bound: float) -> Done:
    objective = done.report.objective
    gap = relative_gap(objective, bound)
    status = done.report.status
    if gap is not None:
        status = type(status).OPTIMAL if gap <= 0 else type(status).FEASIBLE
    return replace(done, report=replace(done.report, bound=bound, gap=gap, status=status))


def _keep(year: YearSoFar, scored: dict[int, Done], seconds: float) -> bool:
    """Takes ``scored`` into ``year`` if the year's objective falls and its gap does not grow."""
    before = _totals(year.done)
    trial = list(year.done)
    for j, done in scored.items():
        trial[j] = done
    after = _totals(trial)
    if not (after[0] < before[0] and _gap(after) <= _gap(before)):
        return False
    first = min(scored)  # the block searched again: the step's time is its own
    for j, done in scored.items():
        spent = year.done[j].report.seconds + (seconds if j == first else 0.0)
        trial[j] = replace(done, report=replace(done.report, seconds=round(spent, 3)))
    year.done[:] = trial
    return True


def _totals(done: list[Done]) -> tuple[float, float]:
    return (
        sum(d.report.objective or 0.0 for d in done),
        sum(d.report.bound or 0.0 for d in done),
    )


def _gap(totals: tuple[float, float]) -> float:
    return relative_gap(*totals) or 0.0
