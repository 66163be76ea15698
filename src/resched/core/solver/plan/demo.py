"""The rotation-plan problem of the demo program (DEMO.md)."""

from __future__ import annotations

from resched.core.demo import DemoProgram
from resched.core.demo.catalog import EMERGENCY, ICU, NIGHT_FLOAT, WARDS
from resched.core.model import RequestKind
from resched.core.solver.plan.problem import PlanProblem

# The demo's demanding rotations: the program's choice, so it lives with the demo data.
DEMO_HEAVY_ROTATIONS = frozenset({WARDS, ICU, NIGHT_FLOAT, EMERGENCY})


def demo_plan_problem(demo: DemoProgram) -> PlanProblem:
    return PlanProblem(
        residents=demo.residents,
        rotations=demo.rotations,
        blocks=demo.year.blocks,
        absences=demo.absences,
        requests=tuple(
            r for r in demo.requests if r.kind in (RequestKind.ROTATION, RequestKind.VACATION)
        ),
        heavy_rotations=DEMO_HEAVY_ROTATIONS,
    )
