"""Load on the production configuration (issue 17, part 1): not a test, it prints figures.

    PYTHONPATH=. .venv/bin/python benchmarks/load.py [--users 50] [--seconds 120]
        [--program demo|large] [--web-workers 2] [--think 2.0] [--worker-nice N] [--json]
        [--keep-database | --from-database NAME]

Starts what a production site runs, on loopback, with RESCHED_ENV=production: a PostgreSQL
database of its own (``resched_load_<pid>``, dropped at the end unless --keep-database),
migrated by `resched db upgrade` and loaded by `resched demo` (``--program large``: 150
residents and 60 faculty); a rotation plan and three weeks of shifts around today generated and
published by `resched generate ... --publish`; accounts made by `resched user create
--password-stdin` (a resident account per resident, up to the users, and one coordinator per ten
users); `resched serve --workers N` (uvicorn) and a Celery worker (`resched worker`) on a Redis
queue of its own. Then ``--users`` users sign in through the sign-in form and for ``--seconds``
read Today, My schedule, the schedule's month view and the compliance page, with a pause of
about ``--think`` seconds after each page; about 2 % of a resident's actions are a write
(a shift offered on the swap board or a leave request, through the pages' forms). A generation
job (the three weeks after the published ones, limited to the run's length, one solver thread)
is submitted through the API as the load starts, so the worker solves while the pages are read.

``--from-database NAME`` starts from a copy (CREATE DATABASE ... TEMPLATE) of a database an
earlier run kept with ``--keep-database``, for the same ``--program``: the setup's solve is not
repeated, and this run's accounts are named after its process id.

Prints p50/p95/p99/max per page, requests, refused writes and errors, and the tracebacks the
server logged; the target (issue 17): p95 under 150 ms for the reads and no errors. Every
process is stopped and the database dropped at the end, also after Ctrl-C.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import os
import secrets
import shutil
import sys
import tempfile
import time
from itertools import cycle, islice
from pathlib import Path
from typing import Any

import httpx2
import psycopg
import redis
from benchmarks.load_client import Account, Workload, dump_json, print_table, run_load
from benchmarks.load_site import (
    RESCHED,
    Site,
    cpu_seconds,
    create_accounts,
    descendants,
    exit_status,
    machine_busy_seconds,
    prepare_program,
    resident_codes,
    schedule_window,
)
from psycopg import sql

POSTGRES_URL = os.environ.get(
    "RESCHED_LOAD_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("RESCHED_LOAD_REDIS_URL", "redis://127.0.0.1:6379/12")
PROGRAMS = {"demo": (36, 16), "large": (150, 60)}
# Seconds for the published shifts' search (setup): the large program's three weeks needed
# 240 s for a first schedule at load 15-20 on 2 cores (35 s found none).
SHIFTS_TIME_LIMIT = {"demo": 60.0, "large": 300.0}
READ_TARGET_MS = 150.0
# What the TLS proxy in front of production adds (the site trusts 127.0.0.1 as that proxy).
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--program", choices=sorted(PROGRAMS), default="demo")
    parser.add_argument("--web-workers", type=int, default=2, help="uvicorn processes")
    parser.add_argument("--think", type=float, default=2.0, help="mean pause after a page, s")
    parser.add_argument("--shifts-time-limit", type=float,
                        help="seconds for the published shifts' search (setup)")  # fmt: skip
    parser.add_argument(
        "--worker-nice",
        type=int,
        default=None,
        help="RESCHED_WORKER_NICE of the worker (default: the setting's, 10)",
    )
    parser.add_argument("--keep-database", action="store_true")
    parser.add_argument(
        "--from-database",
        metavar="NAME",
        help="start from a copy of a database an earlier run kept (--keep-database) for the "
        "same --program: no setup solve; new accounts are made",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    say = (lambda _: None) if args.json else (lambda m: print(m, flush=True))
    name = f"resched_load_{os.getpid()}"
    queue = f"resched-load-{os.getpid()}-{secrets.token_hex(3)}"
    directory = Path(tempfile.mkdtemp(prefix="resched-load-"))

    def body() -> int:
        database_url = create_database(name, template=args.from_database)
        environment = production_environment(database_url, queue)
        if args.worker_nice is not None:
            environment["RESCHED_WORKER_NICE"] = str(args.worker_nice)
        with Site(directory, environment) as site:
            result = run(site, args, database_url, say)
        report(result, args)
        return 1 if result["figures"]["errors"] or result["server_tracebacks"] else 0

    try:
        return exit_status("load", body)
    finally:
        if not args.keep_database:
            drop_database(name)
        delete_redis_keys(queue)
        shutil.rmtree(directory, ignore_errors=True)


def report(result: dict[str, Any], args: argparse.Namespace) -> None:
    result["setup"]["program"] = args.program
    if args.json:
        print(dump_json(result))
        return
    print_table(result["figures"], READ_TARGET_MS)
    print(f"CPU of the web processes per request: {result['web_cpu_ms_per_request']} ms")
    cores = result["cores"]
    print(f"cores used: web {cores['web']}, worker {cores['worker']}, client "
          f"{cores['client']}; the machine ({cores['machine_cores']} cores) "
          f"{100 * cores['machine_busy_share']:.0f} % busy")  # fmt: skip
    print(f"server tracebacks logged: {result['server_tracebacks']}")
    print(f"generation job: {result['generation']}")


def run(site: Site, args: argparse.Namespace, database_url: str, say: Any) -> dict[str, Any]:
    residents, faculty = PROGRAMS[args.program]
    today = dt.date.today()
    began = time.monotonic()
    limit = args.shifts_time_limit or SHIFTS_TIME_LIMIT[args.program]
    if args.from_database:
        say(f"{args.program} program copied from {args.from_database}")
    else:
        outcome = prepare_program(site, today, residents, faculty, limit)
        say(f"{args.program} program ({residents} residents, {faculty} faculty) loaded; the "
            f"plan and 3 weeks of shifts published ({outcome['status']}, "
            f"{len(outcome['findings'])} findings)")  # fmt: skip
    coordinators = max(1, args.users // 10)
    codes = resident_codes(database_url, args.users - coordinators)
    # A copied database holds the earlier run's accounts: these are named after this run.
    accounts = create_accounts(site, codes, coordinators, prefix=f"load{os.getpid()}")
    sessions = sessions_for(accounts, args.users, coordinators)
    setup_s = time.monotonic() - began
    say(f"{len(accounts)} accounts created; setup took {setup_s:.0f} s")
    site.start("web", RESCHED, "serve", "--host", "127.0.0.1", "--port", str(site.port),
               "--workers", str(args.web_workers))  # fmt: skip
    site.start("worker", RESCHED, "worker", "--concurrency", "1")
    site.wait_ready("web", args.web_workers)
    site.wait_for_line("worker", " ready.")
    say(f"uvicorn ({args.web_workers} workers) and a Celery worker up; {args.users} users")
    coordinator = next(a for a in accounts if a.role == "coordinator")
    job = submit_generation(site, coordinator, today, args.seconds)
    workload = Workload(think_s=args.think, today=today)
    web, worker = site.processes["web"].pid, site.processes["worker"].pid
    before: list[tuple[float, ...]] = []

    def cpu_now() -> tuple[float, ...]:
        # The web processes, the worker (the solve), this client, and the whole machine.
        own = os.times()
        return (cpu_seconds(descendants(web)), cpu_seconds(descendants(worker)),
                own.user + own.system, *machine_busy_seconds())  # fmt: skip

    load = run_load(site.url, sessions, workload, args.seconds, headers=PROXY_HEADERS,
                    on_start=lambda: before.append(cpu_now()))  # fmt: skip
    stats = asyncio.run(load)
    used = [after - start for after, start in zip(cpu_now(), before[0], strict=True)]
    web_cpu_s, worker_cpu_s, client_cpu_s, busy_s, total_s = used
    window = (stats.ended or time.monotonic()) - stats.began
    requests = sum(len(times) for times in stats.times_ms.values())
    return {
        "setup": {
            "seconds": round(setup_s),
            "accounts": len(accounts),
            "users": len(sessions),
            "web_workers": args.web_workers,
            "think_s": args.think,
            "load_average": os.getloadavg(),
        },
        "figures": stats.summary(),
        # What the pages cost the web processes, whatever the machine's other work.
        "web_cpu_ms_per_request": round(1000 * web_cpu_s / max(1, requests), 1),
        # Cores each used on average over the measured seconds, and the machine's busy share
        # (its other work included): where the time went when the latencies are high.
        "cores": {
            "web": round(web_cpu_s / window, 2),
            "worker": round(worker_cpu_s / window, 2),
            "client": round(client_cpu_s / window, 2),
            "machine_busy_share": round(busy_s / max(total_s, 1e-9), 2),
            "machine_cores": os.cpu_count(),
        },
        "server_tracebacks": site.server_problems("web") + site.server_problems("worker"),
        "generation": generation_state(site, coordinator, job),
    }


def sessions_for(accounts: list[Account], users: int, coordinators: int) -> list[Account]:
    """``users`` sessions: the coordinators, then the resident accounts in turn (a program
    with fewer residents than users has some signed in twice, a phone and a desktop)."""
    residents = [a for a in accounts if a.role == "resident"]
    staff = [a for a in accounts if a.role == "coordinator"]
    return staff + list(islice(cycle(residents), users - coordinators))


def production_environment(database_url: str, queue: str) -> dict[str, str]:
    """The settings of a production site, as scripts/prod-proof sets them."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("RESCHED_")}
    return {
        **inherited,
        "RESCHED_ENV": "production",
        "RESCHED_DATABASE_URL": database_url,
        "RESCHED_SECRET_KEY": secrets.token_urlsafe(48),
        "RESCHED_BROKER_URL": REDIS_URL,
        "RESCHED_JOB_QUEUE": queue,
        "RESCHED_RATE_LIMIT_PREFIX": f"{queue}:login:",
        "RESCHED_ALLOWED_HOSTS": "127.0.0.1",
        "RESCHED_TRUSTED_PROXIES": "127.0.0.1",
        "RESCHED_LOG_LEVEL": "INFO",  # the production default: a line per request
    }


def create_database(name: str, template: str | None = None) -> str:
    statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template is not None:
        statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(statement)
    server = POSTGRES_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    return f"{server}/{name}"


def drop_database(name: str) -> None:
    with contextlib.suppress(psycopg.Error), psycopg.connect(POSTGRES_URL, autocommit=True) as c:
        c.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def delete_redis_keys(queue: str) -> None:
    with contextlib.suppress(redis.RedisError):
        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(f"*{queue}*"))
        if keys:
            client.delete(*keys)
        client.close()


def _api(site: Site, account: Account) -> httpx2.Client:
    client = httpx2.Client(base_url=f"{site.url}/api/v1/", headers=PROXY_HEADERS, timeout=60)
    login = {"username": account.username, "password": account.password}
    token = client.post("auth/login", json=login).raise_for_status().json()["access_token"]
    client.headers["Authorization"] = f"Bearer {token}"
    return client


def submit_generation(site: Site, account: Account, today: dt.date, seconds: float) -> str:
    """The published three weeks generated again (as a coordinator does to compare a new
    draft), as a job the Celery worker runs, searching for as long as the load lasts."""
    start, end = schedule_window(today)
    spec = {"kind": "shifts", "start": start.isoformat(), "end": end.isoformat(),
            "mode": "fresh", "time_limit_s": max(10.0, seconds), "num_workers": 1,
            "seed": 1}  # fmt: skip
    client = _api(site, account)
    try:
        answer = client.post("generations", json=spec, headers={"Idempotency-Key": "load"})
        job_id: str = str(answer.raise_for_status().json()["id"])
    finally:
        client.close()
    return job_id


def generation_state(site: Site, account: Account, job_id: str) -> str:
    client = _api(site, account)
    try:
        run = client.get(f"generations/{job_id}").raise_for_status().json()
    finally:
        client.close()
    outcome = run.get("outcome") or {}
    return " ".join(filter(None, [run["state"], outcome.get("status"), outcome.get("message")]))


if __name__ == "__main__":
    sys.exit(main())
