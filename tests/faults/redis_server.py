"""A private ``redis-server`` on a free port that a test can stop and start again on the same
port: Redis going down and coming back, without touching the shared Redis."""

from __future__ import annotations

import shutil
import socket
import subprocess

import redis

from tests.waits import PATIENCE_S, wait_until


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


NO_PERSISTENCE = ("--save", "", "--appendonly", "no")


class RedisServer:
    def __init__(self) -> None:
        self.binary = shutil.which("redis-server")
        assert self.binary, "no redis-server to start (apt-get install redis-server)"
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        assert self.binary is not None
        self.process = subprocess.Popen(
            [self.binary, *("--port", str(self.port), "--bind", "127.0.0.1"), *NO_PERSISTENCE],
            stdout=subprocess.DEVNULL,
        )
        wait_until(lambda: answers(self.url), what=f"redis-server on port {self.port}")

    def stop(self) -> None:
        """Down: the port refuses connections until ``start``."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(PATIENCE_S)
        self.process = None
        wait_until(lambda: not answers(self.url), what=f"port {self.port} refusing")
