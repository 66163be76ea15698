"""Benchmark of the contingency analysis (issue 15) on the demo program (not a test: prints
figures).

    PYTHONPATH=. .venv/bin/python benchmarks/contingency.py [--block 1] [--solve 20]

The demo (36 residents, 16 faculty) with the dealt rotation plan of one block, and that
block's 28 days of shifts solved by the shift scheduler (``--solve`` seconds, 2 workers):
the schedule the analysis reads. Then, on the 28-day horizon of the block, the times of the
coverage margins (every day and requirement, who could step in), N-1 for everyone and N-2
over all pairs - the same loops the service and the job run (services/contingency), without
the database load. Targets: N-1 under 10 s, N-2 over all pairs under 120 s.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter

from resched.core.contingency.margin import margins
from resched.core.contingency.standby import Demand
from resched.core.demo import build_demo
from resched.core.intervals import DateRange
from resched.core.rules import ScheduleContext, ScheduleInput
from resched.core.solver import SolveConfig
from resched.core.solver.shifts import schedule_shifts
from resched.core.solver.shifts.demo import dealt_plan, demo_shift_problem
from resched.services.contingency import Loaded, fatal_pairs, pair_pool, singles

WORKERS = 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--block", type=int, default=1)
    parser.add_argument("--solve", type=float, default=20.0, help="seconds for the shifts")
    args = parser.parse_args()
    demo = build_demo()
    block = next(b for b in demo.year.blocks if b.number == args.block)
    plan = dealt_plan(demo, block.number)
    started = time.perf_counter()
    solved = schedule_shifts(
        demo_shift_problem(demo, plan, block=block.number),
        SolveConfig(time_limit_s=args.solve, num_workers=WORKERS),
    )
    if solved.solution is None:
        raise SystemExit(f"the shift scheduler found no schedule: {solved.status}")
    shifts = solved.solution.assignments
    print(
        f"demo: {len(demo.people)} people, block {block.number} {block.start}..{block.end}, "
        f"{len(shifts)} shifts solved in {time.perf_counter() - started:.1f} s "
        f"({solved.status}, {len(solved.violations)} violations)"
    )
    data = ScheduleInput(
        program=demo.program,
        people=demo.people,
        shift_types=demo.shift_types,
        assignments=tuple(shifts),
        range=DateRange(block.start, block.end),
        absences=demo.absences,
        blocks=demo.year.blocks,
    )
    rotations = {c.person_id: [(block.start, block.end, c.rotation_code)] for c in plan}
    demand = Demand(demo.coverage, frozenset(demo.year.holidays), rotations)
    loaded = Loaded(0, ScheduleContext(data), demand, block.start, block.end)
    people = [p.id or 0 for p in demo.people if p.active]

    at = time.perf_counter()
    found = margins(loaded.ctx, demand, block.start, block.end)
    margin_s = time.perf_counter() - at
    thin = sum(1 for m in found if m.margin <= 0)
    print(f"margins: {len(found)} cells ({thin} with no margin) in {margin_s:.2f} s")

    at = time.perf_counter()
    alone = singles(loaded, people)
    single_s = time.perf_counter() - at
    severities = Counter(o.severity.value for o in alone)
    print(
        f"N-1: {len(alone)} people in {single_s:.2f} s (target 10 s); "
        f"{dict(sorted(severities.items()))}"
    )

    pool, cut = pair_pool(alone, len(people))  # all pairs, whatever the size
    at = time.perf_counter()
    fatal = fatal_pairs(loaded, pool, alone)
    pair_s = time.perf_counter() - at
    pairs = len(pool) * (len(pool) - 1) // 2
    print(f"N-2: {pairs} pairs in {pair_s:.2f} s (target 120 s); {len(fatal)} fatal, cut {cut}")


if __name__ == "__main__":
    main()
