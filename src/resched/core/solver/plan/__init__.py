"""The annual rotation planner: residents x blocks -> rotations."""

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
from resched.core.solver.plan.solve import plan_rotations
from resched.core.solver.plan.variables import PlanVars

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
