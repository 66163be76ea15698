"""Shift scheduler figures on the demo program (prints figures; not a test).

    .venv/bin/python benchmarks/generate_shifts.py [--only block|year|large] [--plan planner]

- block: demo block 1 (36 residents, 16 faculty, 28 days): seconds to the first feasible
  schedule (model build included; target < 5 s) and the gap to the best bound after 60 s
  (target < 1 %).
- year: the whole academic year, block by block: each block sees the published schedule of the
  27 days before it (look-back) and the year-to-date fairness counts; target < 120 s in all.
  Solved block by block because the rules only look 27 days back, so a block's model holds all
  that constrains it, and 13 models of ~7,000 variables search far faster than one of 90,000.
- large: 60 residents, 25 faculty, one block; target feasible < 20 s.

Every schedule is re-checked by core.rules (``violations``). Runs on 2 workers (the machine
has 2 shared cores). Plans: ``dealt`` (default) deals residents onto each block's places
(capacities met, yearly requirements not); ``planner`` uses the annual rotation planner.
"""

from __future__ import annotations

import argparse
import dataclasses
import time

from resched.core.demo import DemoProgram, build_demo
from resched.core.model import Assignment, BlockAssignment
from resched.core.solver import ProgressEvent, SolveConfig
from resched.core.solver.shifts import schedule_shifts
from resched.core.solver.shifts.demo import dealt_plan, demo_shift_problem
from resched.core.solver.shifts.objectives.fairness import tally

WORKERS = 2


def _plan(demo: DemoProgram, how: str) -> tuple[BlockAssignment, ...]:
    if how == "planner":
        from resched.core.solver.plan import plan_rotations
        from resched.core.solver.plan.demo import demo_plan_problem

        result = plan_rotations(
            demo_plan_problem(demo), SolveConfig(time_limit_s=20, num_workers=WORKERS)
        )
        if result.solution is None:
            raise SystemExit(f"planner: {result.status} {result.conflicts}")
        return result.solution.assignments
    return tuple(c for b in demo.year.blocks for c in dealt_plan(demo, b.number, turn=b.number))


def bench_block(demo: DemoProgram, plan: tuple[BlockAssignment, ...], seconds: float) -> None:
    case = demo_shift_problem(demo, plan, block=1)
    marks: list[ProgressEvent] = []
    result = schedule_shifts(
        case, SolveConfig(time_limit_s=seconds, num_workers=WORKERS), on_progress=marks.append
    )
    stats = result.statistics
    first = float(stats.get("first_solution_s", float("nan"))) + float(stats["build_s"])
    print(
        f"block 1: build {stats['build_s']} s, first feasible {first:.2f} s (incl. build), "
        f"{stats['variables']} variables, {stats['constraints']} constraints"
    )
    for at in (5, 10, 30, 60):
        seen = [e for e in marks if e.elapsed_s <= at and e.objective is not None]
        if seen:
            last = seen[-1]
            gap = abs(last.objective - last.bound) / max(1.0, abs(last.objective))  # type: ignore[operator]
            print(
                f"  at {at:>3} s: objective {last.objective:g}, bound {last.bound:g}, gap {gap:.1%}"
            )
    print(
        f"  end: {result.status} objective {result.objective} bound {result.best_bound} "
        f"gap {result.gap:.1%} violations {len(result.violations)} wall {result.wall_time:.1f} s"
    )


def bench_year(
    demo: DemoProgram, plan: tuple[BlockAssignment, ...], per_block: float, ahead: int
) -> None:
    started = time.monotonic()
    published: list[Assignment] = []
    ok = True
    for block in demo.year.blocks:
        look_from = block.start.toordinal() - 27
        before = tuple(a for a in published if a.date.toordinal() >= look_from - 2)
        ytd = tally(published, demo.shift_types, demo.year.holidays)
        case = demo_shift_problem(
            demo, plan, block=block.number, before=before, year_to_date=ytd, lookahead_days=ahead
        )
        result = schedule_shifts(case, SolveConfig(time_limit_s=per_block, num_workers=WORKERS))
        stats = result.statistics
        print(
            f"  block {block.number:>2} {block.start}..{block.end}: {result.status} "
            f"first {stats.get('first_solution_s', '-')} s, gap "
            f"{'-' if result.gap is None else f'{result.gap:.1%}'}, violations "
            f"{len(result.violations)}, {result.wall_time:.1f} s"
        )
        for line in result.conflicts[:3]:
            print(f"      conflict: {line}")
        if result.solution is None or result.violations:
            ok = False
            continue
        published += result.solution.assignments
    print(
        f"year: {'feasible' if ok else 'NOT feasible'}, {len(published)} assignments, "
        f"{time.monotonic() - started:.1f} s"
    )


def bench_large(seconds: float) -> None:
    demo = build_demo(residents=60, faculty=25)
    plan = dealt_plan(demo, 1)
    case = demo_shift_problem(demo, plan, block=1)
    result = schedule_shifts(case, SolveConfig(time_limit_s=seconds, num_workers=WORKERS))
    stats = result.statistics
    first = stats.get("first_solution_s")
    print(
        f"60 residents / 25 faculty, block 1: {result.status}, build {stats['build_s']} s, "
        f"first feasible {first} s (+ build), gap {result.gap}, violations "
        f"{len(result.violations)}, wall {result.wall_time:.1f} s"
    )
    for line in result.conflicts[:3]:
        print(f"      conflict: {line}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", choices=("block", "year", "large"))
    parser.add_argument("--plan", choices=("dealt", "planner"), default="dealt")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--per-block", type=float, default=6.0)
    parser.add_argument("--lookahead", type=int, default=7)
    parser.add_argument(
        "--dst-call-hours",
        type=int,
        default=None,
        help="variant: CALL this many hours (see the report on Oct 31 2026)",
    )
    args = parser.parse_args()
    demo = build_demo()
    if args.dst_call_hours is not None:
        shifts = tuple(
            dataclasses.replace(s, minutes=args.dst_call_hours * 60) if s.code == "CALL" else s
            for s in demo.shift_types
        )
        demo = dataclasses.replace(demo, shift_types=shifts)
    plan = _plan(demo, args.plan)
    if args.only in (None, "block"):
        bench_block(demo, plan, args.seconds)
    if args.only in (None, "year"):
        bench_year(demo, plan, args.per_block, args.lookahead)
    if args.only in (None, "large"):
        bench_large(20.0)


if __name__ == "__main__":
    main()
