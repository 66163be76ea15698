"""CP-SAT solvers of resched and what they share: status, config, results, progress, cancel.

Only ``ortools`` besides the standard library is imported here (core stays pure).
"""

from resched.core.solver.config import SolveConfig
from resched.core.solver.progress import CancelToken, ProgressCallback, ProgressEvent
from resched.core.solver.result import Penalty, SolveResult, SolveStatus

__all__ = [
    "CancelToken",
    "Penalty",
    "ProgressCallback",
    "ProgressEvent",
    "SolveConfig",
    "SolveResult",
    "SolveStatus",
]
