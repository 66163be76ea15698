"""Progress reports and cancellation for a running CP-SAT search.

CP-SAT calls back on its own threads, and only when it finds a solution or improves its bound.
A cancel must not wait for either (a hard model may find nothing new for minutes), so a watchdog
thread polls the ``CancelToken`` and stops the search from outside; the solution callback checks
the token too, which stops at once when solutions are flowing.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from ortools.sat.python import cp_model

from resched.core.solver.types import CancelToken, ProgressCallback, ProgressEvent

__all__ = ["CancelToken", "ProgressCallback", "ProgressEvent", "SearchMonitor", "cancel_watchdog"]

# Short enough that a cancel stops the solver well within a second, long enough to cost nothing.
_WATCHDOG_POLL_S = 0.05


class SearchMonitor(cp_model.CpSolverSolutionCallback):
    """Counts solutions, reports progress and honours a cancel from the solver's own threads."""

    def __init__(
        self,
        solver: cp_model.CpSolver,
        *,
        on_progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
        has_objective: bool = True,
    ) -> None:
        super().__init__()
        self._solver = solver
        self._on_progress = on_progress
        self._cancel = cancel
        self._has_objective = has_objective
        self._lock = threading.Lock()  # the solver may call back from several threads
        self._started = time.monotonic()
        self.solutions = 0
        self.first_solution_s: float | None = None
        self._objective: float | None = None
        self._bound: float | None = None

    def on_solution_callback(self) -> None:
        with self._lock:
            self.solutions += 1
            elapsed = time.monotonic() - self._started
            if self.first_solution_s is None:
                self.first_solution_s = elapsed
            if self._has_objective:
                self._objective = float(self.objective_value)
                # A worker's response may carry a staler bound than the best-bound callback
                # already reported; a minimisation bound only rises, so keep the best.
                reported = float(self.best_objective_bound)
                self._bound = reported if self._bound is None else max(self._bound, reported)
            # Reported under the lock so that events arrive in order even from several threads.
            self._report(ProgressEvent(self._objective, self._bound, elapsed, self.solutions))
        if self._cancel is not None and self._cancel.cancelled:
            self.stop_search()

    def on_bound(self, bound: float) -> None:
        """Installed as the solver's best-bound callback: progress between solutions."""
        with self._lock:
            self._bound = float(bound)
            elapsed = time.monotonic() - self._started
            self._report(ProgressEvent(self._objective, self._bound, elapsed, self.solutions))

    def _report(self, event: ProgressEvent) -> None:
        # The callback runs on a solver thread and holds up the search: it should only hand the
        # event on (to a queue, a job record), not do slow work itself.
        if self._on_progress is not None:
            self._on_progress(event)


def _watch(solver: cp_model.CpSolver, cancel: CancelToken, done: threading.Event) -> None:
    while not done.wait(_WATCHDOG_POLL_S):
        if cancel.cancelled:
            # Repeated on purpose: stop_search is a no-op until solve() has set up its search,
            # so a cancel that arrives during model loading must be retried until it lands.
            solver.stop_search()


@contextmanager
def cancel_watchdog(solver: cp_model.CpSolver, cancel: CancelToken | None) -> Iterator[None]:
    """Runs a thread for the duration of the block that stops ``solver`` once ``cancel`` is set.
    ``CpSolver.stop_search`` is thread-safe."""
    if cancel is None:
        yield
        return
    done = threading.Event()
    thread = threading.Thread(
        target=_watch, args=(solver, cancel, done), name="resched-solver-watchdog", daemon=True
    )
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
