"""The daily call/shift scheduler: rotation plan + patterns + coverage -> shift assignments.

``schedule_shifts`` (the CP-SAT search) is imported on first use; everything else here is
ortools-free (see ``resched.core.solver``)."""

from typing import TYPE_CHECKING

from resched.core.solver.lazy import lazy_names
from resched.core.solver.shifts.problem import (
    COUNTERS,
    DEFAULT_WEIGHTS,
    Mode,
    ShiftProblem,
    ShiftSchedule,
)
from resched.core.solver.shifts.validate import check_schedule

if TYPE_CHECKING:
    from resched.core.solver.shifts.solve import schedule_shifts

__getattr__ = lazy_names(__name__, {"schedule_shifts": "resched.core.solver.shifts.solve"})

__all__ = [
    "COUNTERS",
    "DEFAULT_WEIGHTS",
    "Mode",
    "ShiftProblem",
    "ShiftSchedule",
    "check_schedule",
    "schedule_shifts",
]
