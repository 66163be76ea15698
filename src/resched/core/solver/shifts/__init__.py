"""The daily call/shift scheduler: rotation plan + patterns + coverage -> shift assignments."""

from resched.core.solver.shifts.problem import (
    COUNTERS,
    DEFAULT_WEIGHTS,
    Mode,
    ShiftProblem,
    ShiftSchedule,
)
from resched.core.solver.shifts.solve import schedule_shifts
from resched.core.solver.shifts.validate import check_schedule

__all__ = [
    "COUNTERS",
    "DEFAULT_WEIGHTS",
    "Mode",
    "ShiftProblem",
    "ShiftSchedule",
    "check_schedule",
    "schedule_shifts",
]
