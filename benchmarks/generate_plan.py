"""Benchmark of the annual rotation planner on the demo program (not a test: prints figures).

    .venv/bin/python benchmarks/generate_plan.py [--sizes 36x16,60x25] [--workers 2]
        [--seeds 0,1,2] [--time-limit 60]

For each program size (residents x faculty; the faculty do not enter the rotation plan but fix
the demo's shape) and each solver seed: time to the first feasible plan, time to a proven
optimum, objective, best bound, gap, the penalties by name, and whether check_plan passed.
Target (issue 5): the 36-resident demo optimal in under 5 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
from collections import Counter

from resched.core.demo import build_demo
from resched.core.solver import SolveConfig, SolveResult
from resched.core.solver.plan import RotationPlan, plan_rotations
from resched.core.solver.plan.demo import demo_plan_problem


def _run(
    residents: int, faculty: int, seed: int, workers: int, limit: float
) -> SolveResult[RotationPlan]:
    problem = demo_plan_problem(build_demo(residents=residents, faculty=faculty))
    config = SolveConfig(time_limit_s=limit, seed=seed, num_workers=workers)
    return plan_rotations(problem, config)


def _line(size: str, seed: int, result: SolveResult[RotationPlan]) -> str:
    first = result.statistics.get("first_solution_s", "-")
    by_name: Counter[str] = Counter()
    for penalty in result.penalties:
        by_name[penalty.name] += penalty.cost
    work = result.statistics.get("deterministic_time", "-")
    gap = "-" if result.gap is None else f"{100 * result.gap:.1f}%"
    return (
        f"{size:>6} seed {seed}: {result.status:<10} first feasible {first} s, "
        f"end {result.wall_time:.2f} s (deterministic time {work}), "
        f"objective {result.objective}, bound {result.best_bound}, "
        f"gap {gap}, violations {len(result.violations)}, penalties {dict(by_name)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="36x16,60x25")
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--time-limit", type=float, default=60.0)
    args = parser.parse_args()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"python {platform.python_version()}, {os.cpu_count()} cpus, workers {args.workers}, "
        f"load average {load} (other work on the machine inflates the wall times)"
    )
    for size in args.sizes.split(","):
        residents, faculty = (int(part) for part in size.split("x"))
        times = []
        for seed in (int(s) for s in args.seeds.split(",")):
            result = _run(residents, faculty, seed, args.workers, args.time_limit)
            print(_line(size, seed, result), flush=True)
            if result.status == "optimal":
                times.append(result.wall_time)
        if times:
            median = statistics.median(times)
            print(
                f"{size:>6}: optimal in {len(times)} runs, median {median:.2f} s, "
                f"max {max(times):.2f} s"
            )


if __name__ == "__main__":
    main()
