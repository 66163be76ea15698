"""Benchmark of the annual rotation planner on the demo program (not a test: prints figures).

    PYTHONPATH=. .venv/bin/python benchmarks/generate_plan.py [--sizes 36x16,150x60]
        [--workers 2] [--runs 3] [--time-limit 600] [--no-cli] [--subsolvers max_lp,default_lp]

For each program size (residents x faculty; the faculty do not enter the rotation plan but fix
the demo's shape), ``--runs`` times, each in a fresh process:

- the search (``plan_rotations`` in-process): the greedy first plan and its completion into a
  hint, CP-SAT's wall time and deterministic time, status, objective, bound, the whole call
  (validation, build, search, check, scoring) in wall and CPU time (all threads), and the
  process's peak memory;
- the whole command as a user runs it: ``resched demo`` into a temporary SQLite file, then
  ``resched generate plan --json`` timed from outside (start-up, imports, reading, building,
  solving, checking, storing), with its CPU time and peak memory. The commands are printed.

Medians are printed per size. The load average is printed first: on a shared machine wall
times grow with it, deterministic and CPU times much less.
Targets (issue 14): 36 residents proven optimal in < 0.5 s of search and < 2 s for the whole
command; 150 residents / 60 faculty proven optimal, as fast as possible, memory reported.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

VENV_BIN = Path(sys.executable).parent


def _search(
    residents: int, faculty: int, workers: int, limit: float, subsolvers: str = ""
) -> dict[str, Any]:
    """One in-process solve (run in a child process: its peak memory is its own)."""
    from resched.core.demo import build_demo
    from resched.core.solver import SolveConfig
    from resched.core.solver.plan import plan_rotations
    from resched.core.solver.plan.demo import demo_plan_problem

    problem = demo_plan_problem(build_demo(residents=residents, faculty=faculty))
    cpu = time.process_time()
    # --subsolvers replaces the planner's own choice of full workers (plan/tuning.py).
    chosen = {"subsolvers": subsolvers.split(",")} if subsolvers else {}
    config = SolveConfig(time_limit_s=limit, num_workers=workers, parameters=chosen)
    result = plan_rotations(problem, config)
    cpu = time.process_time() - cpu
    s = result.statistics
    return {
        "status": result.status.value,
        "objective": result.objective,
        "bound": result.best_bound,
        "search_s": s["solver_wall_time_s"],
        "deterministic": s["deterministic_time"],
        "hint_s": s.get("hint_s"),
        "greedy_objective": s.get("greedy_objective"),
        "call_s": result.wall_time,
        "call_cpu_s": cpu,  # all threads: the greedy plan, the hint, CP-SAT's two workers
        "variables": s["variables"],
        "constraints": s["constraints"],
        "violations": len(result.violations),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _child_search(size: str, workers: int, limit: float) -> dict[str, Any]:
    subsolvers = os.environ.get("PLAN_SUBSOLVERS", "")
    code = (
        "import json, sys; from benchmarks.generate_plan import _search; "
        f"print(json.dumps(_search({size.replace('x', ', ')}, {workers}, {limit}, "
        f"{subsolvers!r})))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=_env()
    )
    return dict(json.loads(done.stdout.splitlines()[-1]))


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}


def _command(size: str, workers: int, limit: float) -> dict[str, Any]:
    """The CLI as a user runs it, on a fresh demo database."""
    residents, faculty = size.split("x")
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/plan.db"
        demo = [str(VENV_BIN / "resched"), "demo", "--residents", residents]
        demo += ["--faculty", faculty, "--database-url", url]
        subprocess.run(demo, capture_output=True, check=True)
        plan = [str(VENV_BIN / "resched"), "generate", "plan", "--json", "--workers"]
        plan += [str(workers), "--time-limit", str(limit), "--database-url", url]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.monotonic()
        done = subprocess.run(plan, capture_output=True, text=True, check=False)
        whole = time.monotonic() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = json.loads(done.stdout)
    return {
        "command": " ".join(plan).replace(url, "sqlite:///TMP/plan.db"),
        "exit": done.returncode,
        "status": out["status"],
        "objective": out["objective"],
        "whole_s": whole,
        "whole_cpu_s": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "solve_s": out["seconds"],
        "peak_mb": after.ru_maxrss / 1024,  # the largest child so far: the demo load or this
    }


def _median(rows: list[dict[str, Any]], key: str) -> str:
    values = [r[key] for r in rows if isinstance(r.get(key), int | float)]
    return f"{statistics.median(values):.2f}" if values else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="36x16,150x60")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=600.0)
    parser.add_argument("--no-cli", action="store_true", help="only the in-process search")
    parser.add_argument(
        "--subsolvers", default="", help="the search's full workers, e.g. max_lp,default_lp"
    )
    args = parser.parse_args()
    os.environ["PLAN_SUBSOLVERS"] = args.subsolvers
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"python {platform.python_version()}, {os.cpu_count()} cpus, workers {args.workers}, "
        f"load average {load}"
    )
    for size in args.sizes.split(","):
        searches = _runs(f"{size} search", args.runs, _child_search, size, args)
        print(
            f"{size} search medians: search {_median(searches, 'search_s')} s wall, "
            f"deterministic {_median(searches, 'deterministic')}, greedy+hint "
            f"{_median(searches, 'hint_s')} s, whole call {_median(searches, 'call_s')} s wall "
            f"({_median(searches, 'call_cpu_s')} s CPU), peak {_median(searches, 'peak_mb')} MB",
            flush=True,
        )
        if args.no_cli:
            continue
        commands = _runs(f"{size} command", args.runs, _command, size, args)
        residents, faculty = size.split("x")
        print(
            f"{size} command medians: whole {_median(commands, 'whole_s')} s wall, "
            f"{_median(commands, 'whole_cpu_s')} s CPU, solve {_median(commands, 'solve_s')} s "
            f"(`resched demo --residents {residents} --faculty {faculty}` "
            f"then `{commands[0]['command']}`)",
            flush=True,
        )


def _runs(
    label: str,
    runs: int,
    measure: Callable[[str, int, float], dict[str, Any]],
    size: str,
    args: argparse.Namespace,
) -> list[dict[str, Any]]:
    rows = []
    for run in range(runs):
        row = measure(size, args.workers, args.time_limit)
        rows.append(row)
        print(f"{label} {run + 1}: {json.dumps(row)}", flush=True)
    return rows


if __name__ == "__main__":
    main()
