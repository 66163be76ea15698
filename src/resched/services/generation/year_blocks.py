"""What a whole-year run holds block by block (year.py makes it, revisit.py may change it):
each block's days, the penalties and findings they have in that block's own model, and its
report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from resched.core.model import Assignment, Block
from resched.core.solver import Penalty, SolveResult, SolveStatus
from resched.core.solver.result import relative_gap
from resched.core.solver.shifts import ShiftProblem, ShiftSchedule
from resched.core.solver.shifts.problem import COUNTERS
from resched.core.solver.shifts.spreads import RangeFairness, measure_range_fairness
from resched.services.generation.chains import StoredChain, chains_in
from resched.services.generation.outcome import BlockReport, StoredFinding


@dataclass(frozen=True, slots=True)
class Done:
    """A block as generated. ``report.objective`` is the sum of ``penalties``, ``report.bound``
    a proven lower bound on the block's objective given the blocks before it as they stand."""

    block: Block
    days: tuple[Assignment, ...]
    penalties: tuple[Penalty, ...]
    findings: tuple[StoredFinding, ...]
    chains: tuple[StoredChain, ...]
    report: BlockReport
    fairness: dict[str, Any]


@dataclass(slots=True)
class YearSoFar:
    done: list[Done] = field(default_factory=list)
    failed: list[BlockReport] = field(default_factory=list)  # the block that ended the run
    conflicts: tuple[str, ...] = ()  # why that block has no schedule
    revisited: int = 0  # second-pass steps tried
    improved: int = 0  # and kept

    @property
    def generated(self) -> list[Assignment]:
        return [a for d in self.done for a in d.days]

    @property
    def reports(self) -> list[BlockReport]:
        return [d.report for d in self.done] + self.failed

    @property
    def fairness(self) -> dict[str, Any] | None:
        """The last block's fairness report: its "year" spreads are the whole year's."""
        return self.done[-1].fairness if self.done else None


def stop_gap(done: Sequence[BlockReport], blocks_left: int, target: float) -> float:
    """The relative gap at which the next block's search stops, so that the year (a sum of the
    blocks' objectives and bounds) ends within ``target`` of its bound: ``target`` while the
    blocks ``done`` (their reports) are, summed, within it; otherwise what they went beyond
    it, in units of their mean objective, shared out over the ``blocks_left`` (this one
    included), each asked to stop that much closer (never below 0, a proof of optimality). A
    block that cannot close in its share searches it all either way; one that can then closes
    further for the year."""
    if not done or blocks_left < 1:
        return target
    objective = sum(r.objective or 0.0 for r in done)
    gap = sum((r.objective or 0.0) - (r.bound or 0.0) for r in done)
    beyond = gap - target * objective  # above 0: the year so far is farther than the target
    if beyond <= 0 or objective <= 0:
        return target
    mean = objective / len(done)
    return max(0.0, target - beyond / (mean * blocks_left))


def done_block(
    block: Block,
    problem: ShiftProblem,
    result: SolveResult[ShiftSchedule],
    seconds: float,
    bound: float | None,
) -> Done:
    """``result``'s schedule of ``block`` (solved or scored in ``problem``, the block's own
    model) with ``bound`` as its proven lower bound."""
    assert result.solution is not None
    days = tuple(a for a in result.solution.assignments if block.start <= a.date <= block.end)
    fairness = measure_range_fairness(problem, days)
    findings = tuple(StoredFinding.violation(v) for v in result.violations) + tuple(
        StoredFinding.of(f) for f in result.solution.warnings
    )
    report = block_report(block, result, seconds, fairness, bound)
    return Done(
        block,
        days,
        tuple(result.penalties),  # the block's own days only (year.py's module doc)
        findings,
        chains_in(problem, days),
        report,
        fairness.to_json(),
    )


def block_report(
    block: Block,
    result: SolveResult[ShiftSchedule],
    seconds: float,
    fairness: RangeFairness | None = None,
    bound: float | None = None,
) -> BlockReport:
    """``bound`` (default: the result's own) is the block's proven bound."""
    bound = result.best_bound if bound is None else bound
    gap = relative_gap(result.objective, bound)
    status = result.status
    if result.solution is not None and gap is not None:
        # CP-SAT says optimal when it stops at the gap limit; the block is only that close.
        status = SolveStatus.OPTIMAL if gap <= 0 else SolveStatus.FEASIBLE
    return BlockReport(
        number=block.number,
        start=block.start,
        end=block.end,
        status=status,
        objective=result.objective,
        bound=bound,
        gap=gap,
        seconds=round(seconds, 3),  # as stored
        spreads={} if fairness is None else {c: fairness.widest(c) for c in COUNTERS},
        shortest_call_gap=None
        if fairness is None or fairness.shortest_gap is None
        else fairness.shortest_gap.nights,
    )
