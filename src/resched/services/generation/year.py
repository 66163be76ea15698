"""The shifts of a whole academic year as one run: block after block, one draft at the end.

Each block is solved as a block generation would solve it (``shift_problem``: the 27 days before
it as fixed history, the year-to-date counts, ``lookahead_days`` of the plan after it scheduled
and dropped), except that its history is what this run generated for the blocks before it: so
every rule window that crosses a block boundary is checked across it, as the validator checks
the stored year. The base's own shifts inside the year are replaced, never used as context.

The budget (``config.time_limit_s``) is the whole run's. Each block gets an equal share of what
is left (less the most a block has taken beyond its search limit, reading and building the
model) and stops early once proven within ``TARGET_GAP`` of its bound, so the time a quick
block does not use goes to the blocks after it. A block that finds no schedule in its share
searches up to ``RESCUE_S`` longer for a first one rather than discard the blocks before it.

**The objective.** A block weighs its own days only. Its look-ahead is scheduled under every
hard rule (so that the next block can continue it) but none of its soft goals costs anything
there: the next block decides those days again and weighs them. A goal that spans days (two
calls close together, a pair of weekends, a part week's clinic) belongs to the block holding
its last day and is judged there with the days before it as generated. So each penalty of the
stored year is counted once, and the year's objective is the sum of the stored penalties.

**The bound.** A block's bound is CP-SAT's proven lower bound on that block's own-day objective
with the blocks before it fixed as generated (and its look-ahead free under the hard rules).
The year's bound is the sum of the blocks' bounds, the year's objective the sum of their
objectives: the gap so measured says how far the run is from the best that this same
block-by-block decomposition could reach given the earlier blocks as they came out. It is
not a bound on a single model of the whole year (which could arrange the blocks jointly
better); no such model is solved.

Cancel is honoured between blocks and inside a block's search; a cancelled or infeasible block,
or one with no schedule after its rescue, ends the run and nothing is stored.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from resched.core.model import Assignment, Block
from resched.core.solver import (
    CancelToken,
    Penalty,
    ProgressCallback,
    ProgressEvent,
    SolveConfig,
    SolveResult,
    SolveStatus,
)
from resched.core.solver.result import relative_gap
from resched.core.solver.shifts import Mode, ShiftSchedule
from resched.core.solver.shifts.problem import COUNTERS
from resched.core.solver.shifts.spreads import RangeFairness, measure_range_fairness
from resched.services.audit import ActorLike
from resched.services.common import SessionFactory, read
from resched.services.generation.chains import StoredChain, chains_in
from resched.services.generation.inputs import Base, load_base, load_year, shift_problem
from resched.services.generation.outcome import BlockReport, GenerationOutcome, StoredFinding
from resched.services.generation.specs import ShiftSpec, YearSpec, spec_json
from resched.services.generation.store import store_draft

TARGET_GAP = 0.05  # a block proven this close to its bound leaves its remaining time to others
MIN_SHARE_S = 5.0
RESCUE_S = 60.0  # a block with no schedule in its share searches up to this long for a first

type BlockCallback = Callable[[BlockReport, int], None]  # the report, the number of blocks


@dataclass(slots=True)
class _Year:
    """What the run has so far."""

    generated: list[Assignment]
    reports: list[BlockReport]
    penalties: list[Penalty]
    findings: list[StoredFinding]
    chains: list[StoredChain] = field(default_factory=list)
    # The last block's fairness report: its "year" spreads are the whole year's.
    fairness: dict[str, Any] | None = None


def run_year(
    *,
    factory: SessionFactory,
    spec: YearSpec,
    actor: ActorLike,
    on_progress: ProgressCallback | None = None,
    on_block: BlockCallback | None = None,
    cancel: CancelToken | None = None,
) -> GenerationOutcome:
    """Generate every block of ``spec``'s year in order and store one draft holding them all
    (the base's plan and its shifts outside the year kept). ``on_progress`` sees the current
    block's search with ``elapsed_s`` counted from the start of the run; ``on_block`` each
    finished block."""
    started = time.monotonic()
    with read(factory) as session:
        base = load_base(session, spec.year_id)
        blocks = load_year(session, spec.year_id).blocks
    # The year's own shifts are what this run makes: the base's are neither kept nor context.
    outside = tuple(a for a in base.shifts if not spec.start <= a.date <= spec.end)
    year = _Year([], [], [], [])
    from resched.core.solver.shifts import schedule_shifts  # lazily: ortools (run.py says why)

    overrun = 0.0  # the most a block took beyond its search limit: reading, building, checking
    for index, block in enumerate(blocks):
        if cancel is not None and cancel.cancelled:
            return _stopped(spec, year, SolveStatus.CANCELLED, (), started)
        left = spec.config.time_limit_s - (time.monotonic() - started)
        share = _share(left, len(blocks) - index, overrun)
        began = time.monotonic()
        with read(factory) as session:
            context = Base(base.version_id, base.plan, outside + tuple(year.generated))
            problem = shift_problem(session, _block_spec(spec, block, share), context)
        progress = _offset(on_progress, began - started)
        result = schedule_shifts(problem, _config(spec, share), on_progress=progress, cancel=cancel)
        if result.status is SolveStatus.TIMEOUT:
            # No schedule in its share: rather than lose the blocks before it, search on for a
            # first one (the run then ends late, which its seconds show).
            rescue = _config(spec, RESCUE_S, first_only=True)
            result = schedule_shifts(problem, rescue, on_progress=progress, cancel=cancel)
        took = time.monotonic() - began
        overrun = max(overrun, took - share)
        if result.solution is None or result.status is SolveStatus.CANCELLED:
            year.reports.append(_report(block, result, took))
            conflicts = tuple(f"block {block.number}: {c}" for c in result.conflicts)
            return _stopped(spec, year, result.status, conflicts, started)
        fairness = measure_range_fairness(problem, result.solution.assignments)
        report = _report(block, result, took, fairness)
        year.reports.append(report)
        year.fairness = fairness.to_json()
        year.chains += chains_in(problem, result.solution.assignments)
        _add(year, block, result)
        if on_block is not None:
            on_block(report, len(blocks))
    outcome = _outcome(spec, year, started)
    generated = tuple(year.generated)
    full = Base(base.version_id, base.plan, outside)
    version_id = store_draft(
        factory=factory, spec=spec, base=full, generated=generated, outcome=outcome, actor=actor
    )
    return replace(outcome, version_id=version_id)


def _share(left_s: float, blocks_left: int, overrun_s: float) -> float:
    """An equal share of the time left, less what a block has taken beyond its search limit
    (so the last blocks are not starved); at least MIN_SHARE_S, so a late block still searches."""
    return max(MIN_SHARE_S, left_s / blocks_left - overrun_s)


def _config(spec: YearSpec, seconds: float, *, first_only: bool = False) -> SolveConfig:
    """A block's solve; ``first_only``: stop at the first schedule (a rescue's only aim)."""
    config = spec.config
    extra = {"stop_after_first_solution": True} if first_only else {}
    return SolveConfig(
        time_limit_s=seconds,
        seed=config.seed,
        num_workers=config.num_workers,
        relative_gap=TARGET_GAP,
        weights=config.weights,
        explain_time_limit_s=min(config.explain_time_limit_s, seconds),
        parameters={**config.parameters, **extra},
    )


def _block_spec(spec: YearSpec, block: Block, seconds: float) -> ShiftSpec:
    return ShiftSpec(
        spec.year_id,
        spec.year_label,
        block.start,
        block.end,
        _config(spec, seconds),
        Mode.FRESH,
        block.number,
        spec.weekend_rotations,
        spec.lookahead_days,
    )


def _offset(on_progress: ProgressCallback | None, at: float) -> ProgressCallback | None:
    if on_progress is None:
        return None
    callback = on_progress

    def shifted(event: ProgressEvent) -> None:
        callback(replace(event, elapsed_s=event.elapsed_s + at))

    return shifted


def _report(
    block: Block,
    result: SolveResult[ShiftSchedule],
    seconds: float,
    fairness: RangeFairness | None = None,
) -> BlockReport:
    status = result.status
    if status is SolveStatus.OPTIMAL and (result.gap or 0.0) > 0:
        # CP-SAT says optimal when it stops at the gap limit; the block is only that close.
        status = SolveStatus.FEASIBLE
    return BlockReport(
        number=block.number,
        start=block.start,
        end=block.end,
        status=status,
        objective=result.objective,
        bound=result.best_bound,
        gap=result.gap,
        seconds=round(seconds, 3),  # as stored
        spreads={} if fairness is None else {c: fairness.widest(c) for c in COUNTERS},
        shortest_call_gap=None
        if fairness is None or fairness.shortest_gap is None
        else fairness.shortest_gap.nights,
    )


def _add(year: _Year, block: Block, result: SolveResult[ShiftSchedule]) -> None:
    assert result.solution is not None
    year.generated += [a for a in result.solution.assignments if block.start <= a.date <= block.end]
    year.penalties += result.penalties  # the block's own days only (module doc)
    year.findings += [StoredFinding.violation(v) for v in result.violations]
    year.findings += [StoredFinding.of(f) for f in result.solution.warnings]


def _total(values: list[float | None]) -> float | None:
    return None if any(v is None for v in values) else sum(v for v in values if v is not None)


def _outcome(spec: YearSpec, year: _Year, started: float) -> GenerationOutcome:
    objective = _total([r.objective for r in year.reports])
    bound = _total([r.bound for r in year.reports])
    gap = relative_gap(objective, bound)
    optimal = all(r.status is SolveStatus.OPTIMAL for r in year.reports)
    status = SolveStatus.OPTIMAL if optimal else SolveStatus.FEASIBLE
    violations = sum(1 for f in year.findings if f.severity == "violation")
    quality = "An optimal" if optimal else "A feasible"
    figures = "" if gap is None else f" (gap {gap:.1%} to the sum of the blocks' bounds)"
    message = (
        f"{quality} schedule of all {len(year.reports)} blocks was stored as one draft{figures}; "
        + (
            f"the validator found {violations} violation(s): it can be published only with a "
            "reason."
            if violations
            else "the validator found no violations."
        )
    )
    return GenerationOutcome(
        kind=spec.kind,
        status=status,
        message=message,
        objective=objective,
        best_bound=bound,
        gap=gap,
        seconds=time.monotonic() - started,
        penalties=tuple(year.penalties),
        findings=tuple(year.findings),
        statistics={"blocks": len(year.reports), "target_gap": TARGET_GAP},
        parameters=spec_json(spec),
        blocks=tuple(year.reports),
        fairness=year.fairness,
        chains=tuple(year.chains),
    )


def _stopped(
    spec: YearSpec,
    year: _Year,
    status: SolveStatus,
    conflicts: tuple[str, ...],
    started: float,
) -> GenerationOutcome:
    """A run that ends before the last block: nothing stored, the blocks done reported."""
    done = sum(1 for r in year.reports if r.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE))
    failed = (
        year.reports[-1].number if status is not SolveStatus.CANCELLED and year.reports else None
    )
    why = {
        SolveStatus.CANCELLED: "Cancelled",
        SolveStatus.INFEASIBLE: f"Block {failed} has no schedule under these requirements",
        SolveStatus.TIMEOUT: (
            f"Block {failed} found no schedule in its share of the time limit, nor in "
            f"{RESCUE_S:g} s more"
        ),
    }.get(status, f"Block {failed} ended {status.value}")
    return GenerationOutcome(
        kind=spec.kind,
        status=status,
        message=f"{why} ({done} of {spec.blocks} block(s) done); nothing was stored.",
        seconds=time.monotonic() - started,
        conflicts=conflicts,
        parameters=spec_json(spec),
        blocks=tuple(year.reports),
    )
