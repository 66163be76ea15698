"""The embedded mode, as a user runs it: ``resched serve`` with no broker configured starts its
own worker on the local SQLite broker under var/, which says one line when ready (no Celery
banner), jobs run there with progress and cancel, and stopping the server stops the worker."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from resched.db.repositories.jobs import Job
from resched.db.tables import JobStatus
from resched.services.jobs import JobQueue, get_job_result, request_cancel, submit_job
from resched.services.schedule_import import import_schedule
from resched.settings import Settings
from resched.tasks.app import make_job_queue
from resched.tasks.worker import EMBEDDED_READY
from tests.schedule_data import store_program, troubled_doc
from tests.tasks.data import Factory, block_shifts, demo_with_published_plan, snapshot
from tests.tasks.workers import environment, finished, job_settings, wait_for_job
from tests.waits import PATIENCE_S, wait_until

pytestmark = pytest.mark.db


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    directory: Path
    log: Path
    settings: Settings

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def children(self) -> list[int]:
        """The server's child processes (from /proc: no extra package needed)."""
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                found.append(int(stat.parent.name))
        return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_until_serving(server: Server, port: int) -> None:
    """Until the worker said it is ready and /healthz answers; a server that exits instead
    fails at once, with its log."""

    def serving() -> bool:
        assert server.process.poll() is None, server.text()
        if EMBEDDED_READY not in server.text():
            return False
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=PATIENCE_S):
                return True
        except OSError:
            return False

    wait_until(serving, what="the server and its worker up", explain=server.text)


@pytest.fixture(scope="module")
def server(
    migrated_database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    directory = tmp_path_factory.mktemp("embedded")
    # The production priority: the worker lowers itself below the server (its own test).
    settings = job_settings(migrated_database_url, None, "resched").model_copy(
        update={"worker_nice": 10}
    )
    port = _free_port()
    log = directory / "serve.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "resched", "serve", "--host", "127.0.0.1", f"--port={port}"],
            cwd=directory,
            env=environment(settings),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    running = Server(process, directory, log, settings)
    try:
        _wait_until_serving(running, port)
        yield running
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            process.wait(PATIENCE_S)


@pytest.fixture
def queue(server: Server, monkeypatch: pytest.MonkeyPatch) -> JobQueue:
    # The embedded broker lives in var/ of the server's working directory.
    monkeypatch.chdir(server.directory)
    return make_job_queue(server.settings)


def _submit(factory: Factory, queue: JobQueue, kind: str, parameters: dict) -> Job:  # type: ignore[type-arg]
    return submit_job(
        factory=factory, queue=queue, kind=kind, parameters=parameters, actor="c", requested_by=None
    )


# What Celery prints when it starts a worker: the banner (with its [config], [queues] and
# [tasks] sections) and, as root, a nine-line SecurityWarning.
BANNER_MARKS = (" -------------- ", "[config]", "[queues]", "[tasks]", ".> transport:")
SUPERUSER_MARKS = ("superuser privileges", "User information:", "--uid option")


def test_the_embedded_worker_says_one_line_when_ready(server: Server) -> None:
    log = server.text()
    ready = [line for line in log.splitlines() if EMBEDDED_READY in line]
    assert len(ready) == 1, log
    assert "1 process(es), queue resched" in ready[0]
    assert not [mark for mark in BANNER_MARKS + SUPERUSER_MARKS if mark in log], log
    as_root = [line for line in log.splitlines() if "runs as the superuser" in line]
    assert len(as_root) == (1 if os.geteuid() == 0 else 0), log


def test_the_worker_runs_below_the_server_s_cpu_priority(server: Server) -> None:
    """A solve must not slow the pages: the worker lowers itself to RESCHED_WORKER_NICE (10),
    the server keeps its own priority."""
    server_nice = os.getpriority(os.PRIO_PROCESS, server.process.pid)
    workers = server.children()
    assert workers, server.text()
    assert {os.getpriority(os.PRIO_PROCESS, pid) for pid in workers} == {max(server_nice, 10)}
    ready = next(line for line in server.text().splitlines() if EMBEDDED_READY in line)
    assert f"nice={max(server_nice, 10)}" in ready


def test_jobs_run_on_the_embedded_worker(factory: Factory, queue: JobQueue, server: Server) -> None:
    assert (server.directory / "var" / "broker.db").exists()  # no Redis: a SQLite broker
    store_program(factory)
    version = import_schedule(factory=factory, document=troubled_doc()).version
    job = _submit(factory, queue, "compliance_check", {"version_id": version.id})
    done = wait_for_job(factory, job.id, finished)
    assert done.status is JobStatus.SUCCEEDED, server.text()
    summary = get_job_result(factory=factory, job_id=job.id)["summary"]
    assert summary["version_id"] == version.id
    assert summary["violations"] > 0


def test_progress_and_cancel_on_the_embedded_worker(
    factory: Factory, queue: JobQueue, server: Server
) -> None:
    published = demo_with_published_plan(factory)
    before = snapshot(factory, published)
    # No work budget: only the cancel ends this search (the safety limit is minutes away).
    job = _submit(factory, queue, "generation", block_shifts(factory, None))
    seen: set[float] = set()

    def searching(current: Job) -> bool:
        seen.add(current.progress)
        return current.status.finished or "Best penalty" in current.message

    wait_for_job(factory, job.id, searching, what="mid-search")
    request_cancel(factory=factory, job_id=job.id, actor="c")
    done = wait_for_job(factory, job.id, finished, what="the end")
    assert done.status is JobStatus.CANCELLED, server.text()
    assert len(seen) >= 2  # progress moved while it ran
    assert snapshot(factory, published) == before


def test_stopping_the_server_stops_its_worker(server: Server) -> None:
    workers = server.children()
    assert workers, "the server started no worker process"
    server.process.send_signal(signal.SIGINT)  # Ctrl-C
    assert server.process.wait(PATIENCE_S) == 0, server.text()
    for pid in workers:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
