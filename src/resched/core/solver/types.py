"""The solver's value types that callers hold without running a search: progress events and the
cancel token. No ortools here: the web process imports these (and ``result``, ``config``) to
describe jobs, and must start without loading the solver (ortools, and pandas through it).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ProgressEvent:
    """A snapshot of the search: best objective so far (None before the first solution), best
    proven bound, seconds since the solve started and solutions found so far."""

    objective: float | None
    bound: float | None
    elapsed_s: float
    solutions: int


ProgressCallback = Callable[[ProgressEvent], None]


class CancelToken:
    """A thread-safe flag a caller sets to stop a solve; the solve reports ``cancelled``.

    One token may be shared by several solves (e.g. a solve and the explanation that follows it).
    """

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def wait(self, timeout: float) -> bool:
        """Block up to ``timeout`` seconds; True once cancelled."""
        return self._event.wait(timeout)
