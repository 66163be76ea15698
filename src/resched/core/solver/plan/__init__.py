"""The annual rotation planner: residents x blocks -> rotations.

``plan_rotations`` (the CP-SAT search) and ``PlanVars`` (its variables) are imported on first
use; everything else here is ortools-free (see ``resched.core.solver``)."""

from typing import TYPE_CHECKING

from resched.core.solver.lazy import lazy_names
from resched.core.solver.plan.check import check_plan
from resched.core.solver.plan.problem import (
    DEFAULT_WEIGHTS,
    HEAVY_BALANCE,
    HEAVY_STREAK,
    ROTATION_REQUEST,
    SPLIT_BLOCK,
    VACATION_REQUEST,
    PlanProblem,
    RotationPlan,
)
from resched.core.solver.plan.score import score_plan

if TYPE_CHECKING:
    from resched.core.solver.plan.solve import plan_rotations
    from resched.core.solver.plan.variables import PlanVars

__getattr__ = lazy_names(
    __name__,
    {
        "plan_rotations": "resched.core.solver.plan.solve",
        "PlanVars": "resched.core.solver.plan.variables",
    },
)

__all__ = [
    "DEFAULT_WEIGHTS",
    "HEAVY_BALANCE",
    "HEAVY_STREAK",
    "ROTATION_REQUEST",
    "SPLIT_BLOCK",
    "VACATION_REQUEST",
    "PlanProblem",
    "PlanVars",
    "RotationPlan",
    "check_plan",
    "plan_rotations",
    "score_plan",
]
