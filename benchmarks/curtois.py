"""Curtois & Qu shift scheduling benchmark, instances 1-7 (prints figures; not a test).

    .venv/bin/python benchmarks/curtois.py [--time-limit 60] [--workers 0] [--seed 0]
        [--instances 1,2,3] [--dir benchmarks/data/curtois]

Each instance goes through ``resched bench curtois`` (parse, the CP-SAT model built from
``core.solver.blocks``, solve, the independent scorer) in-process; the table shows objective,
proven bound, best known value, gap to it, seconds to the end of the solve, deterministic time
(CP-SAT's load-independent work measure) and status. Targets: 1-3 at their proven optima (607,
828, 1001) in under 10 s; 4-7 within 1 % of 1716, 1143, 1950, 1056 in 60 s. The machine is
shared: the load average is printed with the table.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import typer

from resched.cli.bench import run_curtois

DEFAULT_DIR = str(Path(__file__).parent / "data" / "curtois")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=0, help="0: one per available core")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--instances", default="1,2,3,4,5,6,7")
    parser.add_argument("--dir", default=DEFAULT_DIR)
    args = parser.parse_args()
    print(f"load average before: {Path('/proc/loadavg').read_text().split()[:3]}")
    header = "| instance | objective | bound | best known | gap | seconds | det. time | status |"
    print(header)
    print("|---" * 8 + "|")
    failed = False
    for number in args.instances.split(","):
        path = Path(args.dir) / f"Instance{number.strip()}.txt"
        try:
            outcome = run_curtois(
                str(path), time_limit=args.time_limit, workers=args.workers, seed=args.seed
            )
        except typer.Exit:
            print(f"| {path.name} | unreadable | | | | | | |")
            failed = True
            continue
        gap = "-" if outcome["gap"] is None else f"{outcome['gap']:.2%}"
        verdict = "" if outcome["verified"] else " NOT VERIFIED"
        failed |= not outcome["verified"]
        print(
            f"| {number} | {outcome['objective']} | {outcome['bound']} | {outcome['best_known']} "
            f"| {gap} | {outcome['seconds']:.1f} | {outcome['deterministic_time']} "
            f"| {outcome['status']}{verdict} |"
        )
    print(f"load average after: {Path('/proc/loadavg').read_text().split()[:3]}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
