"""``resched serve`` as an operator starts it: a real uvicorn on a free port, answering without
naming its server software, with its var/ directory, key and database owner-only."""

from __future__ import annotations

import os
import signal
import socket
import stat
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

# Generous: a busy 2-core machine needs tens of seconds to import the app.
READY_TIMEOUT_S = 300


@dataclass
class Served:
    port: int
    directory: Path
    log: Path

    def get(self, path: str) -> tuple[int, dict[str, str]]:
        url = f"http://127.0.0.1:{self.port}{path}"
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, {k.lower(): v for k, v in response.getheaders()}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _environment(directory: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RESCHED_")}
    env["RESCHED_DATABASE_URL"] = f"sqlite:///{directory / 'var' / 'resched.db'}"
    return env


def _wait_until_serving(process: subprocess.Popen[bytes], served: Served) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        assert process.poll() is None, served.log.read_text(errors="replace")
        try:
            served.get("/healthz")
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"not serving in {READY_TIMEOUT_S} s:\n{served.log.read_text()}")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    directory = tmp_path_factory.mktemp("serve")
    served = Served(_free_port(), directory, directory / "serve.log")
    command = [sys.executable, "-m", "resched", "serve", "--no-worker", "--first-run"]
    with served.log.open("wb") as output:
        process = subprocess.Popen(
            [*command, "--host", "127.0.0.1", f"--port={served.port}"],
            cwd=directory,
            env=_environment(directory),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_serving(process, served)
        yield served
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(60)


def test_answers_do_not_name_the_server_software(served: Served) -> None:
    status, headers = served.get("/healthz")
    assert status == 200
    assert "server" not in headers, headers
    assert headers["x-request-id"]


def test_var_directory_key_and_database_are_owner_only(served: Served) -> None:
    var = served.directory / "var"
    assert stat.S_IMODE(var.stat().st_mode) == 0o700
    assert stat.S_IMODE((var / "secret_key").stat().st_mode) == 0o600
    for name in ("resched.db", "resched.db-wal", "resched.db-shm"):
        path = var / name
        if name == "resched.db" or path.exists():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, name


def test_the_embedded_key_is_used_so_no_development_key_warning(served: Served) -> None:
    assert "development signing key" not in served.log.read_text(errors="replace")
