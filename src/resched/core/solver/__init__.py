"""CP-SAT solvers of resched and what they share: status, config, results, progress, cancel.

Only ``ortools`` besides the standard library is imported by the solvers (core stays pure), and
not here: this package and the problems' value types load without it, so a process that only
describes or enqueues solves (the web app) never loads ortools. The searches themselves
(``plan.plan_rotations``, ``shifts.schedule_shifts``) load it on first use.
"""

from resched.core.solver.config import SolveConfig
from resched.core.solver.result import Penalty, SolveResult, SolveStatus
from resched.core.solver.types import CancelToken, ProgressCallback, ProgressEvent

__all__ = [
    "CancelToken",
    "Penalty",
    "ProgressCallback",
    "ProgressEvent",
    "SolveConfig",
    "SolveResult",
    "SolveStatus",
]
