"""Waiting in tests: poll until the thing is so, up to a bound of minutes, never a fixed sleep.

A busy 2-core laptop can take a minute to start a server that starts in five seconds on an
idle one; a test that waits for readiness passes on both and fails only when the thing never
happens, with the log that says why. How fast it happened is the benchmarks' business."""

from __future__ import annotations

import time
from collections.abc import Callable

PATIENCE_S = 300.0  # how long any wait may take before it counts as "never"
POLL_S = 0.1


def wait_until[T](
    check: Callable[[], T],
    *,
    what: str,
    explain: Callable[[], str] = lambda: "",
    timeout: float = PATIENCE_S,
) -> T:
    """``check()`` until it returns something true, which is returned; after ``timeout``
    seconds an AssertionError naming ``what``, followed by ``explain()`` (a log, a row)."""
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not so after {timeout:.0f} s\n{explain()}")
        time.sleep(POLL_S)
