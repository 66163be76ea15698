"""Benchmarks of schedule generation (issue 5), one entry point (not a test: prints figures).

    .venv/bin/python benchmarks/generate.py [--only plan|shifts]
        [--plan-args "--sizes 36x16 --seeds 0"] [--shift-args "--only block --seconds 30"]

Runs benchmarks/generate_plan.py (the annual rotation planner: time to optimal, gap, penalties,
for 36 and 60 residents) and then benchmarks/generate_shifts.py (one block of shifts: feasible
and within 1 % of the bound; the whole year; the 60-resident program), each in its own Python
process so that neither's solver threads or memory weigh on the other's figures, and prints
all their figures as they come. ``--plan-args``/``--shift-args`` are passed to each script
unchanged (see their own --help). The exit status is non-zero when either script fails.
"""

from __future__ import annotations

import argparse
import shlex
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = {"plan": HERE / "generate_plan.py", "shifts": HERE / "generate_shifts.py"}


def run(name: str, extra: list[str]) -> int:
    """One benchmark script, its output passed straight through; its exit status."""
    command = [sys.executable, str(SCRIPTS[name]), *extra]
    print(f"== {name}: {shlex.join(command[1:])}", flush=True)
    started = time.perf_counter()
    code = subprocess.run(command, check=False).returncode
    took = time.perf_counter() - started
    print(f"== {name}: exit {code}, {took:.1f} s in all", flush=True)
    return code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=tuple(SCRIPTS))
    parser.add_argument("--plan-args", default="", help="arguments for generate_plan.py")
    parser.add_argument("--shift-args", default="", help="arguments for generate_shifts.py")
    args = parser.parse_args()
    extra = {"plan": shlex.split(args.plan_args), "shifts": shlex.split(args.shift_args)}
    names = [args.only] if args.only else list(SCRIPTS)
    codes = [run(name, extra[name]) for name in names]
    return max(codes, default=0)


if __name__ == "__main__":
    sys.exit(main())
