"""The demo program's whole year generated as the job does it (prints figures; not a test).

    .venv/bin/python benchmarks/generate_year.py [--time-limit 600] [--workers 2] [--db FILE]

A fresh SQLite file gets the demo program (``resched demo``), its rotation plan generated and
published (``resched generate plan`` then ``resched publish``), and then the shifts of the whole
academic year as one run (``run_generation`` of a year spec: what the ``generation`` job and
``resched generate year`` call). Prints each block's status, objective, bound, gap and seconds,
then the year's objective, bound (the sum of the blocks' bounds: see
services/generation/year.py), gap and wall time. The same through the CLI:

    resched demo --database-url sqlite:///year.db
    resched generate plan --time-limit 30 --database-url sqlite:///year.db
    resched publish <version> --database-url sqlite:///year.db
    resched generate year --time-limit 600 --workers 2 --database-url sqlite:///year.db
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

import resched.services.generation.year as year_module
from resched.core.solver import SolveStatus
from resched.db.migrate import upgrade_to_head
from resched.db.session import create_engine_for, make_session_factory
from resched.services.common import SessionFactory
from resched.services.demo import load_demo
from resched.services.generation import (
    GenerationKind,
    GenerationRequest,
    Limits,
    make_spec,
    publish_version,
    run_generation,
)
from resched.services.generation.outcome import BlockReport, GenerationOutcome


def _prepare(url: str, workers: int) -> SessionFactory:
    upgrade_to_head(url)
    factory = make_session_factory(create_engine_for(url))
    load_demo(factory=factory)
    limits = Limits(time_limit_s=60, seed=1, num_workers=workers)
    request = GenerationRequest(GenerationKind.PLAN, limits=limits)
    plan = run_generation(
        factory=factory, spec=make_spec(factory=factory, request=request), actor=None
    )
    assert plan.version_id is not None, plan.message
    print(f"plan: {plan.status.value} in {plan.seconds:.1f} s (version {plan.version_id})")
    publish_version(factory=factory, version_id=plan.version_id, actor=None)
    return factory


def _figure(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def _line(report: BlockReport, total: int) -> None:
    gap = "-" if report.gap is None else f"{report.gap:.1%}"
    print(
        f"  block {report.number:>2}/{total} {report.start}..{report.end}: "
        f"{report.status.value:<8} objective {_figure(report.objective):>6} "
        f"bound {_figure(report.bound):>6} gap {gap:>6} {report.seconds:6.1f} s",
        flush=True,
    )


def _second_pass(outcome: GenerationOutcome) -> None:
    """The blocks as stored, after the second pass (services/generation/revisit.py)."""
    stats = outcome.statistics
    print(
        f"second pass: {stats.get('revisited', 0)} block(s) searched again, "
        f"{stats.get('revisits_kept', 0)} kept; the blocks as stored:"
    )
    for report in outcome.blocks:
        _line(report, len(outcome.blocks))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--time-limit", type=float, default=600.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--db", help="SQLite file (default: a fresh temporary one)")
    parser.add_argument(
        "--work-limit",
        type=float,
        help="CP-SAT deterministic time per solve (load-independent figures; see Limits)",
    )
    parser.add_argument(
        "--first-pass-only",
        action="store_true",
        help="no second pass, the whole budget to the first (to compare at equal work)",
    )
    args = parser.parse_args()
    if args.first_pass_only:
        year_module.REVISIT_SHARE = 0.0
        year_module.revisit = lambda *_args, **_kwargs: None
    path = args.db or os.path.join(tempfile.mkdtemp(prefix="resched-year-"), "year.db")
    factory = _prepare(f"sqlite:///{path}", args.workers)
    with open("/proc/loadavg", encoding="ascii") as handle:
        print(f"load average before: {handle.read().strip()}")
    limits = Limits(
        time_limit_s=args.time_limit, seed=1, num_workers=args.workers, work_limit=args.work_limit
    )
    spec = make_spec(factory=factory, request=GenerationRequest(GenerationKind.YEAR, limits))
    started = time.monotonic()
    outcome = run_generation(factory=factory, spec=spec, actor=None, on_block=_line)
    wall = time.monotonic() - started
    gap = "-" if outcome.gap is None else f"{outcome.gap:.2%}"
    print(
        f"year: {outcome.status.value}, objective {_figure(outcome.objective)}, bound "
        f"{_figure(outcome.best_bound)}, gap {gap}, {wall:.1f} s (limit {args.time_limit:g} s), "
        f"violations {outcome.violations}, draft {outcome.version_id}"
    )
    _second_pass(outcome)
    if outcome.status not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        print(outcome.message)
        for line in outcome.conflicts[:5]:
            print(f"  conflict: {line}")
    with open("/proc/loadavg", encoding="ascii") as handle:
        print(f"load average after: {handle.read().strip()}")
    print(
        f"reproduce: resched generate year --time-limit {args.time_limit:g} "
        f"--workers {args.workers} --database-url sqlite:///{path}"
    )


if __name__ == "__main__":
    main()
