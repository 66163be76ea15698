"""Fairness without clustering (issue 14), block by block over a year (prints figures; not a test).

    PYTHONPATH=. .venv/bin/python benchmarks/fairness.py [--only demo|peds] [--block-work W]
        [--blocks N] [--catch-up K]

For each block generated in turn (each sees the published blocks before it: look-back and the
year-to-date counts), the range fairness report (core/solver/shifts/spreads.py): per counter
the widest spread among the pools in the block (the goal: 1, or 1 + the catch-up where someone
is behind the year) and in the year to date, the pools beyond the goal, and the shortest gap
between two in-house calls with the number of residents whose calls came 2 nights apart.

- demo: the demo program (36 residents, 16 faculty) on the annual planner's plan, 27 days of
  look-ahead, ``--blocks`` blocks (default 4; 13 for the year).
- peds: a pediatrics-shaped call pool (tests/programs/pediatrics.py: monthly blocks, the
  program's q4 call, a 24 h call after ward days): 9 PGY-2 residents, 6 on wards sharing one
  call a night each month and 3 in clinic, turning every month, so residents come back to
  wards behind the others' year to date: the case where the old goal clustered calls.

Solves are bounded by deterministic work (``--block-work`` units a block, 2 workers), so the
figures depend on the search, not on the machine's load.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import time
from collections.abc import Callable

from tests.core.solver.shifts.tiny import CALL, need, residents, shift

from resched.core.demo import build_demo
from resched.core.model import (
    Assignment,
    Block,
    BlockAssignment,
    Program,
    Role,
    Rotation,
    RuleConfig,
)
from resched.core.solver import SolveConfig
from resched.core.solver.shifts import ShiftProblem, schedule_shifts
from resched.core.solver.shifts.counters import tally
from resched.core.solver.shifts.demo import demo_shift_problem
from resched.core.solver.shifts.problem import COUNTERS
from resched.core.solver.shifts.spreads import RangeFairness, measure_range_fairness

WORKERS = 2
LOOK_BACK = 27

MakeProblem = Callable[[Block, tuple[Assignment, ...], dict[int, dict[str, int]]], ShiftProblem]


def _widest_year(report: RangeFairness, counter: str) -> int:
    return max((p.year.spread for p in report.pools if p.counter == counter), default=0)


def _print_block(block: Block, status: str, seconds: float, report: RangeFairness) -> None:
    spreads = ", ".join(f"{c} {report.widest(c)}/{_widest_year(report, c)}" for c in COUNTERS)
    gap = report.shortest_gap
    close = sum(1 for g in report.gaps if g.nights < 3)
    shortest = "-" if gap is None else f"{gap.nights} nights ({gap.person.code})"
    print(
        f"  block {block.number:>2} {block.start}: {status}, {seconds:.0f} s; spread block/year: "
        f"{spreads}; shortest call gap {shortest}, {close} resident(s) with calls 2 nights apart"
    )
    goal = 1 + report.catch_up
    for pool in report.pools:
        limit = goal if pool.catching_up else 1
        if pool.in_range.spread > limit:
            print(
                f"      {pool.counter} among {pool.pool}: {pool.in_range.minimum}-"
                f"{pool.in_range.maximum} (goal spread <= {limit})"
            )


def run_year(name: str, blocks: tuple[Block, ...], make: MakeProblem, work: float) -> None:
    print(f"{name}: {len(blocks)} blocks, {work:g} units of work each, {WORKERS} workers")
    published: list[Assignment] = []
    started = time.monotonic()
    for block in blocks:
        first = block.start - dt.timedelta(days=LOOK_BACK + 2)
        before = tuple(a for a in published if a.date >= first)
        case = make(block, before, {})
        ytd = tally(published, case.shift_types, case.holidays)
        case = make(block, before, ytd)
        config = SolveConfig(
            time_limit_s=3600, seed=1, num_workers=WORKERS,
            parameters={"max_deterministic_time": work},
        )  # fmt: skip
        result = schedule_shifts(case, config)
        if result.solution is None or result.violations:
            print(f"  block {block.number}: {result.status}, {result.conflicts[:2]}")
            return
        report = measure_range_fairness(case, result.solution.assignments)
        gap = "-" if result.gap is None else f"gap {result.gap:.0%}"
        _print_block(block, f"{result.status} {gap}", result.wall_time, report)
        published += result.solution.assignments
        last = case
    _print_year(last, published)
    print(f"  whole: {time.monotonic() - started:.0f} s")


def _print_year(case: ShiftProblem, published: list[Assignment]) -> None:
    """Per PGY level, the fewest and most of each counter a resident had over the blocks."""
    totals = tally(published, case.shift_types, case.holidays)
    levels: dict[int, list[int]] = {}
    for person in case.people:
        if person.role is Role.RESIDENT and person.pgy is not None:
            levels.setdefault(person.pgy, []).append(person.id)
    for pgy, ids in sorted(levels.items()):
        counted = {c: [totals.get(i, {}).get(c, 0) for i in ids] for c in COUNTERS}
        words = ", ".join(f"{c} {min(v)}-{max(v)}" for c, v in counted.items())
        print(f"  so far, PGY-{pgy} ({len(ids)} residents), fewest-most: {words}")


def demo_year(count: int, work: float, catch_up: int) -> None:
    from resched.core.solver.plan import plan_rotations
    from resched.core.solver.plan.demo import demo_plan_problem

    demo = build_demo()
    planned = plan_rotations(
        demo_plan_problem(demo), SolveConfig(time_limit_s=60, num_workers=WORKERS)
    )
    assert planned.solution is not None, planned.status
    plan = planned.solution.assignments

    def make(
        block: Block, before: tuple[Assignment, ...], ytd: dict[int, dict[str, int]]
    ) -> ShiftProblem:
        case = demo_shift_problem(
            demo, plan, block=block.number, before=before, year_to_date=ytd, lookahead_days=27
        )
        return dataclasses.replace(case, catch_up=catch_up)

    run_year("demo", demo.year.blocks[:count], make, work)


# The pediatrics-shaped call pool: 9 PGY-2 residents, 6 on wards (one call a night) and 3 in
# clinic each month, turning by one resident a month.
PEDS_START = dt.date(2026, 7, 1)
WARD = shift("WARD", "07:00", 10 * 60)
CLINIC = shift("CLIN", "08:00", 9 * 60)


def _months(count: int) -> tuple[Block, ...]:
    blocks, start = [], PEDS_START
    for number in range(1, count + 1):
        after = (start + dt.timedelta(days=32)).replace(day=1)
        blocks.append(Block(number, start, after - dt.timedelta(days=1)))
        start = after
    return tuple(blocks)


def peds_year(count: int, work: float, catch_up: int) -> None:
    people = residents(*([2] * 9))
    blocks = _months(count)
    weekdays = range(1, 6)
    rotations = (
        Rotation("WARDS", "Wards", weekly_pattern=dict.fromkeys(weekdays, ("WARD",))),
        Rotation("CLINIC", "Clinic", weekly_pattern=dict.fromkeys(weekdays, ("CLIN",))),
    )
    plan = tuple(
        BlockAssignment(p.id, b.number, "CLINIC" if (p.id + b.number) % 9 < 3 else "WARDS")
        for p in people
        for b in blocks
    )
    ward_call = dataclasses.replace(need("CALL", 1), eligibility=dataclasses.replace(
        need("CALL", 1).eligibility, rotations=frozenset({"WARDS"})
    ))  # fmt: skip
    holidays = (dt.date(2026, 7, 3), dt.date(2026, 9, 7), dt.date(2026, 11, 26))

    def make(
        block: Block, before: tuple[Assignment, ...], ytd: dict[int, dict[str, int]]
    ) -> ShiftProblem:
        return ShiftProblem(
            # Phoenix keeps no daylight saving: a 24 h call stays 24 h (the demo has CALL-DST).
            program=Program("Pediatrics", "America/Phoenix", RuleConfig(call_every_nth_night=4)),
            start=block.start,
            end=block.end,
            people=people,
            shift_types=(CALL, WARD, CLINIC),
            rotations=rotations,
            blocks=blocks,
            plan=plan,
            coverage=(ward_call,),
            holidays=holidays,
            before=before,
            year_to_date=ytd,
            lookahead_days=7,
            catch_up=catch_up,
        )

    run_year("pediatrics-shaped call pool", blocks, make, work)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", choices=("demo", "peds"))
    parser.add_argument("--block-work", type=float, default=20.0)
    parser.add_argument("--blocks", type=int, default=4)
    parser.add_argument("--catch-up", type=int, default=1)
    args = parser.parse_args()
    if args.only in (None, "peds"):
        peds_year(12, min(args.block_work, 5.0), args.catch_up)
    if args.only in (None, "demo"):
        demo_year(args.blocks, args.block_work, args.catch_up)


if __name__ == "__main__":
    main()
