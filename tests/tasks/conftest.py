"""A real Redis, real workers, and the test database they share with the test.

Redis: ``RESCHED_TEST_REDIS_URL`` (default db 14 on the local server); when nothing answers
there, a private ``redis-server`` is started on a free port for the session. Each session uses
its own queue name, so sessions sharing a Redis never take each other's jobs.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
from sqlalchemy.orm import Session, sessionmaker

from resched.services.common import SessionFactory
from resched.services.jobs import JobQueue
from resched.settings import Settings
from resched.tasks.app import make_job_queue
from tests.tasks.workers import WorkerProcess, job_settings, start_worker
from tests.waits import PATIENCE_S, wait_until

REDIS_ENV = "RESCHED_TEST_REDIS_URL"
DEFAULT_REDIS = "redis://127.0.0.1:6379/14"


def _answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    url = os.environ.get(REDIS_ENV, DEFAULT_REDIS)
    if _answers(url):
        yield url
        return
    server = shutil.which("redis-server")
    assert server, f"no Redis at {url} and no redis-server to start (apt-get install redis-server)"
    port = _free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    wait_until(lambda: _answers(url), what="redis-server answering")
    yield url
    process.terminate()
    process.wait(PATIENCE_S)


@pytest.fixture(scope="session")
def queue_name() -> str:
    return f"resched-test-{uuid.uuid4().hex[:10]}"


@pytest.fixture(scope="session")
def redis_settings(migrated_database_url: str, redis_url: str, queue_name: str) -> Settings:
    return job_settings(migrated_database_url, redis_url, queue_name)


@pytest.fixture(scope="session")
def worker_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("workers")


@dataclass
class Started:
    """The session's worker processes, started together as soon as the first job test runs:
    each takes seconds to import the solver stack, and they overlap on the two cores."""

    shared: WorkerProcess  # serves the session's queue for every Redis test
    victim: WorkerProcess  # serves a queue of its own; the worker-killed test kills it
    victim_settings: Settings


@pytest.fixture(scope="session", autouse=True)
def started(
    redis_settings: Settings,
    worker_dir: Path,
    migrated_database_url: str,
    redis_url: str,
    queue_name: str,
) -> Iterator[Started]:
    victim_settings = job_settings(migrated_database_url, redis_url, f"{queue_name}-kill")
    shared = start_worker(redis_settings, worker_dir, "shared-worker")
    victim = start_worker(victim_settings, worker_dir, "victim-worker")
    try:
        yield Started(shared, victim, victim_settings)
    finally:
        shared.stop()
        victim.stop()


@pytest.fixture
def redis_worker(started: Started) -> WorkerProcess:
    started.shared.wait_ready()
    return started.shared


@pytest.fixture
def victim(started: Started) -> WorkerProcess:
    started.victim.wait_ready()
    return started.victim


@pytest.fixture
def redis_queue(
    redis_settings: Settings, redis_worker: WorkerProcess, session_factory: SessionFactory
) -> JobQueue:
    """The queue the test submits to, with the session's worker running behind it."""
    return make_job_queue(redis_settings)


@pytest.fixture
def factory(session_factory: sessionmaker[Session]) -> SessionFactory:
    return session_factory
