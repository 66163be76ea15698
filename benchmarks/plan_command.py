"""The whole ``resched generate plan`` command as a user runs it (prints figures; not a test).

    .venv/bin/python benchmarks/plan_command.py [--residents 36] [--faculty 16] [--runs 5]
        [--workers 2] [--time-limit 600] [--importtime]

``resched demo`` loads the program into a temporary SQLite file once; each run copies that
file (so every run starts from the same fresh database) and times ``resched generate plan
--json`` from outside: interpreter start-up, imports, reading and checking the request, the
greedy first plan, the search, checking, scoring and storing the draft. Printed per run and as
medians: wall seconds, CPU seconds of the child (all threads), the search's own seconds, the
objective and status. Target (issue 14): under 2 s of wall time for the demo (36 residents).

The load average is printed first (the machine is shared: wall time grows with it, CPU time
much less), and whether Python may cache compiled bytecode: with ``PYTHONDONTWRITEBYTECODE``
set, every run compiles the project's modules again (about 0.3 s more; an installed or
previously run checkout has them cached). ``--importtime`` prints the slowest imports of one
extra run (``python -X importtime``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

RESCHED = str(Path(sys.executable).parent / "resched")


def _load_demo(folder: str, residents: int, faculty: int) -> Path:
    source = Path(folder) / "demo.db"
    demo = [RESCHED, "demo", "--residents", str(residents), "--faculty", str(faculty)]
    subprocess.run(
        [*demo, "--database-url", f"sqlite:///{source}"], check=True, capture_output=True
    )
    return source


def _plan_command(database: Path, workers: int, limit: float) -> list[str]:
    return [
        *(RESCHED, "generate", "plan", "--json", "--workers", str(workers)),
        *("--time-limit", f"{limit:g}", "--database-url", f"sqlite:///{database}"),
    ]


def _run(source: Path, workers: int, limit: float) -> dict[str, Any]:
    """One timed command on a fresh copy of the demo database."""
    database = source.with_name("plan.db")
    shutil.copyfile(source, database)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    done = subprocess.run(
        _plan_command(database, workers, limit), capture_output=True, text=True, check=False
    )
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = json.loads(done.stdout)
    return {
        "wall_s": round(wall, 3),
        "cpu_s": round((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 3),
        "search_s": out["seconds"],
        "status": out["status"],
        "objective": out["objective"],
        "exit": done.returncode,
    }


def _slowest_imports(source: Path, workers: int, limit: float, shown: int = 15) -> list[str]:
    database = source.with_name("plan.db")
    shutil.copyfile(source, database)
    command = _plan_command(database, workers, limit)
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "resched", *command[1:]],
        capture_output=True,
        text=True,
        check=False,
    )
    rows = [line.split("|") for line in done.stderr.splitlines() if line.startswith("import time:")]
    timed = [(int(r[1]), r[2].rstrip()) for r in rows[1:] if r[1].strip().isdigit()]
    top_level = [(us, name) for us, name in timed if not name.startswith("  ")]
    return [f"{us / 1e6:6.3f} s {name.strip()}" for us, name in sorted(top_level)[::-1][:shown]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=36)
    parser.add_argument("--faculty", type=int, default=16)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--time-limit", type=float, default=600.0)
    parser.add_argument("--importtime", action="store_true")
    args = parser.parse_args()
    cached = "off" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "on"
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{os.cpu_count()} cpus, load average {load}, bytecode cache {cached}", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        source = _load_demo(folder, args.residents, args.faculty)
        shown = " ".join(_plan_command(Path("TMP/plan.db"), args.workers, args.time_limit))
        print(f"resched demo --residents {args.residents} --faculty {args.faculty}, then: {shown}")
        rows = []
        for run in range(args.runs):
            rows.append(_run(source, args.workers, args.time_limit))
            print(f"run {run + 1}: {json.dumps(rows[-1])}", flush=True)
        if args.importtime:
            print("slowest top-level imports (cumulative):")
            for line in _slowest_imports(source, args.workers, args.time_limit):
                print(f"  {line}")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"median of {args.runs}: whole command {_median(rows, 'wall_s')} s wall, "
        f"{_median(rows, 'cpu_s')} s CPU, search {_median(rows, 'search_s')} s; "
        f"load average after {load}"
    )


def _median(rows: list[dict[str, Any]], key: str) -> str:
    return f"{statistics.median(r[key] for r in rows):.2f}"


if __name__ == "__main__":
    main()
