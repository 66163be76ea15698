"""The shifts of a whole academic year as one run: block after block, one draft at the end.

Each block is solved as a block generation would solve it (``shift_problem``: the 27 days before
it as fixed history, the year-to-date counts, ``lookahead_days`` of the plan after it scheduled
and dropped), except that its history is what this run generated for the blocks before it: so
every rule window that crosses a block boundary is checked across it, as the validator checks
the stored year. The base's own shifts inside the year are replaced, never used as context.

The budget (``config.time_limit_s``) is the whole run's. The first pass has all but
``REVISIT_SHARE`` of it: each block gets an equal share of what is left of that (less the most
a block has taken beyond its search limit, reading and building the model) and stops early once
proven within its stop gap, so the time a quick block does not use goes to the blocks after it.
The stop gap is ``TARGET_GAP`` while the blocks before it are, summed, within ``TARGET_GAP`` of
their bounds; what they went beyond it (the year's gap is a sum, so a block that cannot close
is made up only by others closing further) is shared out over the blocks left, each asked to
stop that much closer (``stop_gap``). A block that finds no schedule in its share searches up
to ``RESCUE_S`` longer for a first one rather than discard the blocks before it. The rest of the
budget, with whatever the first pass left, goes to a second pass (revisit.py): the blocks
farthest from their bounds are searched again with their neighbours fixed, and a change is kept
only if the year's objective, scored again as below, falls and its gap does not grow.

**The objective.** A block weighs its own days only. Its look-ahead is scheduled under every
hard rule (so that the next block can continue it) but none of its soft goals costs anything
there: the next block decides those days again and weighs them. A goal that spans days (two
calls close together, a pair of weekends, a part week's clinic) belongs to the block holding
its last day and is judged there with the days before it as generated. So each penalty of the
stored year is counted once, and the year's objective is the sum of the stored penalties.

**The bound.** A block's bound is CP-SAT's proven lower bound on that block's own-day objective
with the blocks before it fixed as stored (and its look-ahead free under the hard rules): the
bound of its first-pass search, or, for a block whose history a second-pass step changed, the
bound proven by searching that block again in its new model (revisit.py says why the others
stay valid). The year's bound is the sum of the blocks' bounds, the year's objective the sum
of their objectives: the gap so measured says how far the run is from the best that this same
block-by-block decomposition could reach given the earlier blocks as they are stored. It is
not a bound on a single model of the whole year (which could arrange the blocks jointly
better); no such model is solved.

Cancel is honoured between blocks and inside a block's search (in either pass); a cancelled or
infeasible block, or one with no schedule after its rescue, ends the run and nothing is stored.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from resched.core.model import Block
from resched.core.solver import (
    CancelToken,
    ProgressCallback,
    ProgressEvent,
    SolveConfig,
    SolveStatus,
)
from resched.core.solver.result import relative_gap
from resched.services.audit import ActorLike
from resched.services.common import SessionFactory, read
from resched.services.generation.inputs import Base, load_base, load_year, shift_problem
from resched.services.generation.outcome import BlockReport, GenerationOutcome
from resched.services.generation.revisit import REVISIT_SHARE, YearContext, revisit
from resched.services.generation.specs import YearSpec, spec_json
from resched.services.generation.store import store_draft
from resched.services.generation.year_blocks import (
    YearSoFar,
    block_report,
    done_block,
    stop_gap,
)

TARGET_GAP = 0.05  # a block proven this close to its bound leaves its remaining time to others
MIN_SHARE_S = 5.0
RESCUE_S = 60.0  # a block with no schedule in its share searches up to this long for a first

type BlockCallback = Callable[[BlockReport, int], None]  # the report, the number of blocks


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
    finished block (of the first pass)."""
    started = time.monotonic()
    with read(factory) as session:
        base = load_base(session, spec.year_id)
        blocks = load_year(session, spec.year_id).blocks
    # The year's own shifts are what this run makes: the base's are neither kept nor context.
    outside = tuple(a for a in base.shifts if not spec.start <= a.date <= spec.end)
    context = YearContext(factory, spec, base.version_id, base.plan, outside)
    year = YearSoFar()
    status = _first_pass(context, blocks, year, started, on_progress, on_block, cancel)
    if status is not None:
        failed = year.failed[-1].number if year.failed else None
        conflicts = tuple(f"block {failed}: {c}" for c in year.conflicts)
        return _stopped(spec, year, status, conflicts, started)
    revisit(context, year, started + spec.config.time_limit_s, cancel)
    if cancel is not None and cancel.cancelled:
        return _stopped(spec, year, SolveStatus.CANCELLED, (), started)
    outcome = _outcome(spec, year, started)
    full = Base(base.version_id, base.plan, outside)
    version_id = store_draft(
        factory=factory,
        spec=spec,
        base=full,
        generated=tuple(year.generated),
        outcome=outcome,
        actor=actor,
    )
    return replace(outcome, version_id=version_id)


def _first_pass(
    context: YearContext,
    blocks: tuple[Block, ...],
    year: YearSoFar,
    started: float,
    on_progress: ProgressCallback | None,
    on_block: BlockCallback | None,
    cancel: CancelToken | None,
) -> SolveStatus | None:
    """Every block in order into ``year``; the status that ends the run early, if one does."""
    from resched.core.solver.shifts import schedule_shifts  # lazily: ortools (run.py says why)

    spec = context.spec
    # A share of the budget is kept for the second pass (revisit.py), which needs a block after.
    budget = spec.config.time_limit_s * (1 - REVISIT_SHARE if len(blocks) > 1 else 1.0)
    overrun = 0.0  # the most a block took beyond its search limit: reading, building, checking
    for index, block in enumerate(blocks):
        if cancel is not None and cancel.cancelled:
            return SolveStatus.CANCELLED
        left = budget - (time.monotonic() - started)
        share = _share(left, len(blocks) - index, overrun)
        config = _config(spec, share, stop=stop_gap(year.reports, len(blocks) - index, TARGET_GAP))
        began = time.monotonic()
        with read(context.factory) as session:
            shifts = context.outside + tuple(year.generated)
            problem = shift_problem(
                session,
                spec.block_spec(block, config),
                Base(context.version_id, context.plan, shifts),
            )
        progress = _offset(on_progress, began - started)
        result = schedule_shifts(problem, config, on_progress=progress, cancel=cancel)
        if result.status is SolveStatus.TIMEOUT:
            # No schedule in its share: rather than lose the blocks before it, search on for a
            # first one (the run then ends late, which its seconds show).
            rescue = _config(spec, RESCUE_S, first_only=True)
            result = schedule_shifts(problem, rescue, on_progress=progress, cancel=cancel)
        took = time.monotonic() - began
        overrun = max(overrun, took - share)
        if result.solution is None or result.status is SolveStatus.CANCELLED:
            year.failed.append(block_report(block, result, took))
            year.conflicts = result.conflicts
            return result.status
        year.done.append(done_block(block, problem, result, took, result.best_bound))
        if on_block is not None:
            on_block(year.done[-1].report, len(blocks))
    return None


def _share(left_s: float, blocks_left: int, overrun_s: float) -> float:
    """An equal share of the time left, less what a block has taken beyond its search limit
    (so the last blocks are not starved); at least MIN_SHARE_S, so a late block still searches."""
    return max(MIN_SHARE_S, left_s / blocks_left - overrun_s)


def _config(
    spec: YearSpec, seconds: float, *, stop: float | None = None, first_only: bool = False
) -> SolveConfig:
    """A block's solve, stopped once proven within ``stop`` of its bound; ``first_only``: stop
    at the first schedule (a rescue's only aim)."""
    config = spec.config
    extra = {"stop_after_first_solution": True} if first_only else {}
    return SolveConfig(
        time_limit_s=seconds,
        seed=config.seed,
        num_workers=config.num_workers,
        relative_gap=TARGET_GAP if stop is None else stop,
        weights=config.weights,
        explain_time_limit_s=min(config.explain_time_limit_s, seconds),
        parameters={**config.parameters, **extra},
    )


def _offset(on_progress: ProgressCallback | None, at: float) -> ProgressCallback | None:
    if on_progress is None:
        return None
    callback = on_progress

    def shifted(event: ProgressEvent) -> None:
        callback(replace(event, elapsed_s=event.elapsed_s + at))

    return shifted


def _total(values: list[float | None]) -> float | None:
    return None if any(v is None for v in values) else sum(v for v in values if v is not None)


def _outcome(spec: YearSpec, year: YearSoFar, started: float) -> GenerationOutcome:
    objective = _total([r.objective for r in year.reports])
    bound = _total([r.bound for r in year.reports])
    gap = relative_gap(objective, bound)
    optimal = all(r.status is SolveStatus.OPTIMAL for r in year.reports)
    status = SolveStatus.OPTIMAL if optimal else SolveStatus.FEASIBLE
    findings = tuple(f for d in year.done for f in d.findings)
    violations = sum(1 for f in findings if f.severity == "violation")
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
        penalties=tuple(p for d in year.done for p in d.penalties),
        findings=findings,
        statistics={
            "blocks": len(year.reports),
            "target_gap": TARGET_GAP,
            "revisited": year.revisited,
            "revisits_kept": year.improved,
        },
        parameters=spec_json(spec),
        blocks=tuple(year.reports),
        fairness=year.fairness,
        chains=tuple(c for d in year.done for c in d.chains),
    )


def _stopped(
    spec: YearSpec,
    year: YearSoFar,
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
