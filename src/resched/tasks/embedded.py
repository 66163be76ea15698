"""The embedded mode's worker: ``resched serve`` without RESCHED_BROKER_URL starts one worker
process on the local broker (resched.tasks.app.embedded_broker_url) and stops it on exit.

A separate process, not a thread of the server: a solve holds a CPU and a lot of memory, and
the worker must run exactly the code a production worker runs (``resched worker``). It is
started as ``python -m resched worker --embedded``, so it reads the same settings (environment
and .env) as the server, and it runs the beat schedule too (the reaper, the nightly check).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from resched.logs import get_logger

STOP_TIMEOUT_SECONDS = 10.0
log = get_logger("resched.jobs")


def embedded_worker_command() -> list[str]:
    return [sys.executable, "-m", "resched", "worker", "--embedded", f"--parent-pid={os.getpid()}"]


@contextmanager
def embedded_worker(env: dict[str, str] | None = None) -> Iterator[subprocess.Popen[bytes]]:
    """The worker process for the duration of the block."""
    process = subprocess.Popen(embedded_worker_command(), env=env)  # noqa: S603 - our own argv
    try:
        yield process
    finally:
        stop_worker(process)


def stop_worker(process: subprocess.Popen[bytes], timeout: float = STOP_TIMEOUT_SECONDS) -> None:
    """Warm shutdown (SIGTERM: the running job may finish); after ``timeout`` a hard stop. A job
    cut off that way is redelivered or reaped (docs/jobs.md), never left running."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        log.warning("embedded job worker did not stop in time; killing it", pid=process.pid)
        process.kill()
        process.wait()
    log.info("embedded job worker stopped", pid=process.pid)
