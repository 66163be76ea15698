"""Soak of the embedded server (issue 17, part 5): not a test, it prints figures.

    PYTHONPATH=. .venv/bin/python benchmarks/soak.py [--minutes 30] [--users 10]
        [--think 1.0] [--every 5] [--json]

Runs `resched serve` as a user runs it - SQLite under ``var/`` of a scratch directory, the
embedded job worker, development settings - on the demo program, with a rotation plan and
three weeks of shifts around today published by `resched generate ... --publish` and resident
accounts made by `resched user create`. ``--users`` users (the client of benchmarks/load.py)
then read Today, My schedule, the month view and the compliance page and now and then offer a
shift or request leave, for ``--minutes``. Every ``--every`` seconds it samples, from /proc,
the resident memory (VmRSS) and the open file descriptors of the server process and of all its
descendants (the embedded worker and its pool). Prints start, end and maximum of each, the
linear trend per hour (least squares over the samples after the first ``--warm-up`` seconds,
when caches fill), and whether each trend is flat: under ``--rss-flat`` MiB an hour for the
memory of the whole tree and under ``--fd-flat`` descriptors an hour. Errors as in load.py.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from itertools import cycle, islice
from pathlib import Path
from typing import Any

from benchmarks.load_client import Account, Stats, Workload, dump_json, print_table, run_load
from benchmarks.load_site import (
    RESCHED,
    Site,
    create_accounts,
    descendants,
    exit_status,
    prepare_program,
    resident_codes,
)

READ_TARGET_MS = 150.0


@dataclass(frozen=True)
class Sample:
    at_s: float
    server_rss_mib: float
    tree_rss_mib: float
    tree_fds: int
    processes: int


def rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def open_fds(pid: int) -> int:
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return 0


def sample(pid: int, began: float) -> Sample:
    tree = descendants(pid)
    return Sample(
        at_s=round(time.monotonic() - began, 1),
        server_rss_mib=round(rss_mib(pid), 1),
        tree_rss_mib=round(sum(rss_mib(p) for p in tree), 1),
        tree_fds=sum(open_fds(p) for p in tree),
        processes=len(tree),
    )


def trend_per_hour(points: list[tuple[float, float]]) -> float:
    """The least-squares slope of (seconds, value), per hour; 0 with fewer than 2 points."""
    if len(points) < 2:
        return 0.0
    n = len(points)
    mean_t = sum(t for t, _ in points) / n
    mean_v = sum(v for _, v in points) / n
    spread = sum((t - mean_t) ** 2 for t, _ in points)
    if spread == 0:
        return 0.0
    slope = sum((t - mean_t) * (v - mean_v) for t, v in points) / spread
    return slope * 3600


async def sampled_load(
    site: Site, args: argparse.Namespace, sessions: list[Account], today: dt.date
) -> tuple[Stats, list[Sample]]:
    """The load and the sampling side by side, for the same minutes."""
    pid = site.processes["serve"].pid
    began = time.monotonic()
    samples = [sample(pid, began)]

    async def sampler() -> None:
        while True:
            await asyncio.sleep(args.every)
            samples.append(sample(pid, began))

    task = asyncio.create_task(sampler())
    workload = Workload(think_s=args.think, today=today)
    stats = await run_load(site.url, sessions, workload, args.minutes * 60)
    task.cancel()
    samples.append(sample(pid, began))
    return stats, samples


def resource_figures(samples: list[Sample], args: argparse.Namespace) -> dict[str, Any]:
    warm = [s for s in samples if s.at_s >= args.warm_up] or samples
    figures: dict[str, Any] = {}
    for name, limit in (("server_rss_mib", None), ("tree_rss_mib", args.rss_flat),
                        ("tree_fds", args.fd_flat)):  # fmt: skip
        values = [getattr(s, name) for s in samples]
        trend = trend_per_hour([(s.at_s, getattr(s, name)) for s in warm])
        figures[name] = {
            "start": values[0],
            "end": values[-1],
            "max": max(values),
            "trend_per_hour": round(trend, 1),
            "flat": None if limit is None else abs(trend) < limit,
        }
    figures["processes"] = {"start": samples[0].processes, "end": samples[-1].processes}
    return figures


def print_resources(figures: dict[str, Any], args: argparse.Namespace) -> None:
    print(f"{'resource':18} {'start':>8} {'end':>8} {'max':>8} {'trend/hour':>11}  flat?")
    for name in ("server_rss_mib", "tree_rss_mib", "tree_fds"):
        row = figures[name]
        flat = {None: "", True: "flat", False: "NOT FLAT"}[row["flat"]]
        print(f"{name:18} {row['start']:8} {row['end']:8} {row['max']:8} "
              f"{row['trend_per_hour']:11}  {flat}")  # fmt: skip
    print(f"(trends over the samples after {args.warm_up:g} s; flat: memory under "
          f"{args.rss_flat:g} MiB/h, descriptors under {args.fd_flat:g}/h; processes "
          f"{figures['processes']['start']} -> {figures['processes']['end']})")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--think", type=float, default=1.0, help="mean pause after a page, s")
    parser.add_argument("--every", type=float, default=5.0, help="seconds between samples")
    parser.add_argument("--warm-up", type=float, default=60.0, help="seconds left out of trends")
    parser.add_argument("--rss-flat", type=float, default=20.0, help="MiB an hour")
    parser.add_argument("--fd-flat", type=float, default=10.0, help="descriptors an hour")
    parser.add_argument("--shifts-time-limit", type=float, default=60.0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    directory = Path(tempfile.mkdtemp(prefix="resched-soak-"))
    environment = {k: v for k, v in os.environ.items() if not k.startswith("RESCHED_")}
    today = dt.date.today()

    def body() -> int:
        with Site(directory, environment) as site:
            prepare_program(site, today, 36, 16, args.shifts_time_limit)
            codes = resident_codes(f"sqlite:///{directory / 'var' / 'resched.db'}", args.users)
            accounts = create_accounts(site, codes, coordinators=1)
            sessions = list(islice(cycle(accounts), args.users))
            site.start("serve", RESCHED, "serve", "--port", str(site.port))
            site.wait_ready("serve", 1)
            if not args.json:
                print(f"`resched serve` up (SQLite, embedded worker); {args.users} users for "
                      f"{args.minutes:g} min", flush=True)  # fmt: skip
            stats, samples = asyncio.run(sampled_load(site, args, sessions, today))
            tracebacks = site.server_problems("serve")
        return report(stats, samples, tracebacks, args)

    try:
        return exit_status("soak", body)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def report(stats: Stats, samples: list[Sample], tracebacks: int, args: argparse.Namespace) -> int:
    """Prints the figures; 0 if memory and descriptors stayed flat without an error."""
    resources = resource_figures(samples, args)
    result: dict[str, Any] = {
        "figures": stats.summary(),
        "resources": resources,
        "samples": [s.__dict__ for s in samples],
        "server_tracebacks": tracebacks,
        "load_average": os.getloadavg(),
    }
    if args.json:
        print(dump_json(result))
    else:
        print_table(result["figures"], READ_TARGET_MS)
        print_resources(resources, args)
        print(f"server tracebacks logged: {tracebacks}")
    flat = all(resources[n]["flat"] for n in ("tree_rss_mib", "tree_fds"))
    return 0 if flat and not stats.total_errors() and not tracebacks else 1


if __name__ == "__main__":
    sys.exit(main())
