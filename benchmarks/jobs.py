"""Benchmark of the job machinery (not a test: prints figures).

    .venv/bin/python benchmarks/jobs.py [--jobs 20] [--workers 2] [--time-limit 2]
        [--broker redis://127.0.0.1:6379/13] [--database-url URL]

Submits N generation jobs at once (block 1's shifts of the demo program, each a real CP-SAT
search of ``--time-limit`` seconds on one solver thread) to W worker processes on a Redis
broker, waits for all, and reports: none lost (every job finished), none run twice (every job
ran exactly one attempt, one draft stored per job, one "succeeded" audit event per job), the
total time, and per-job latency (submit to finish) and queue wait (submit to start) as
p50 / p95 / max. The database is a fresh SQLite file unless --database-url names another.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select

from resched.core.solver import SolveStatus
from resched.db.migrate import upgrade_to_head
from resched.db.session import create_engine_for, make_session_factory
from resched.db.tables import AuditEventRow, JobStatus, ScheduleVersionRow
from resched.services.common import SessionFactory
from resched.services.demo import load_demo
from resched.services.generation import (
    GenerationKind,
    GenerationRequest,
    Limits,
    make_spec,
    publish_version,
    run_generation,
    spec_json,
)
from resched.services.jobs import get_job, submit_job
from resched.settings import Settings
from resched.tasks.app import make_job_queue


def _prepare(url: str) -> SessionFactory:
    upgrade_to_head(url)
    factory = make_session_factory(create_engine_for(url))
    load_demo(factory=factory)
    plan = run_generation(
        factory=factory,
        spec=make_spec(
            factory=factory,
            request=GenerationRequest(
                GenerationKind.PLAN, limits=Limits(time_limit_s=30, seed=1), year=None
            ),
        ),
        actor=None,
    )
    assert plan.status is SolveStatus.OPTIMAL
    assert plan.version_id is not None
    publish_version(factory=factory, version_id=plan.version_id, actor=None)
    return factory


def _start_workers(
    count: int, env: dict[str, str], directory: Path
) -> list[subprocess.Popen[bytes]]:
    logs = [(directory / f"worker-{n}.log").open("wb") for n in range(count)]
    command = [sys.executable, "-m", "resched", "worker", "--pool=solo"]
    workers = [
        subprocess.Popen(command, env=env, cwd=directory, stdout=log, stderr=subprocess.STDOUT)
        for log in logs
    ]
    deadline = time.monotonic() + 60
    for n in range(count):
        while " ready." not in (directory / f"worker-{n}.log").read_text(errors="replace"):
            assert time.monotonic() < deadline, "workers did not start"
            time.sleep(0.2)
    return workers


def _percentiles(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"p50 {statistics.median(ordered):6.2f} s   p95 {p95:6.2f} s   max {ordered[-1]:6.2f} s"


def _count(factory: SessionFactory, statement: object) -> int:
    with factory() as session:
        return int(session.scalar(statement) or 0)  # type: ignore[call-overload]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--time-limit", type=float, default=5.0)
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    directory = Path(tempfile.mkdtemp(prefix="resched-bench-jobs-"))
    url = args.database_url or f"sqlite:///{directory / 'bench.db'}"
    queue_name = f"bench-{uuid.uuid4().hex[:8]}"
    factory = _prepare(url)
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=url,
        broker_url=args.broker,
        job_queue=queue_name,
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("RESCHED_")}
    env |= {
        "RESCHED_DATABASE_URL": url,
        "RESCHED_BROKER_URL": args.broker,
        "RESCHED_JOB_QUEUE": queue_name,
        "RESCHED_LOG_LEVEL": "INFO",  # the "ready." line
    }
    workers = _start_workers(args.workers, env, directory)
    try:
        _run(factory, settings, args)
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(30)


def _run(factory: SessionFactory, settings: Settings, args: argparse.Namespace) -> None:
    limits = Limits(time_limit_s=args.time_limit, seed=1, num_workers=1)
    spec = spec_json(
        make_spec(
            factory=factory,
            request=GenerationRequest(GenerationKind.SHIFTS, limits=limits, year=None, block=1),
        )
    )
    queue = make_job_queue(settings)
    drafts_before = _count(factory, select(func.count()).select_from(ScheduleVersionRow))
    started = time.monotonic()
    ids = [
        submit_job(
            factory=factory,
            queue=queue,
            kind="generation",
            parameters=spec,
            actor="bench",
            requested_by=None,
        ).id
        for _ in range(args.jobs)
    ]
    submitted = time.monotonic() - started
    while not all(get_job(factory=factory, job_id=i).status.finished for i in ids):
        time.sleep(0.2)
    total = time.monotonic() - started
    jobs = [get_job(factory=factory, job_id=i) for i in ids]
    succeeded = sum(1 for j in jobs if j.status is JobStatus.SUCCEEDED)
    drafts = _count(factory, select(func.count()).select_from(ScheduleVersionRow)) - drafts_before
    audits = _count(
        factory,
        select(func.count())
        .select_from(AuditEventRow)
        .where(AuditEventRow.entity == "job", AuditEventRow.action == "succeeded"),
    )
    latency = [(j.finished_at - j.created_at).total_seconds() for j in jobs if j.finished_at]
    wait = [(j.started_at - j.created_at).total_seconds() for j in jobs if j.started_at]
    machine = f"{platform.platform()}, {os.cpu_count()} cores"
    print(f"machine: {machine}, Python {platform.python_version()}")
    print(
        f"{args.jobs} generation jobs ({args.time_limit:g} s CP-SAT search each, 1 thread), "
        f"{args.workers} workers, broker {args.broker}"
    )
    print(f"submitted in {submitted:.2f} s; all finished after {total:.2f} s")
    print(
        f"finished: {len(latency)}/{args.jobs} (lost: {args.jobs - len(latency)}), "
        f"succeeded: {succeeded}"
    )
    print(
        f"attempts per job: {sorted({j.attempts for j in jobs})}; drafts stored: {drafts}; "
        f"'succeeded' audit events: {audits}  (run twice: {max(0, drafts - succeeded)})"
    )
    for message, count in Counter(
        j.message for j in jobs if j.status is not JobStatus.SUCCEEDED
    ).items():
        print(f"  not succeeded ({count}): {message}")
    print(f"latency (submit to finish): {_percentiles(latency)}")
    print(f"queue wait (submit to start): {_percentiles(wait)}")


if __name__ == "__main__":
    main()
