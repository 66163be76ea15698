"""What every rule family of the rotation plan reads while the model is built."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from resched.core.solver.explain import Requirements
from resched.core.solver.plan.problem import PlanProblem
from resched.core.solver.plan.variables import PlanVars


@dataclass(frozen=True, slots=True)
class PlanTerm:
    """One weighted term of the objective: ``weight * value(expr)``, under a penalty name."""

    name: str
    weight: int
    expr: cp_model.LinearExprT


@dataclass(slots=True)
class PlanContext:
    problem: PlanProblem
    x: PlanVars
    requirements: Requirements
    weights: Mapping[str, int]
    terms: list[PlanTerm] = field(default_factory=list)
