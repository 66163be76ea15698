"""The rotation-plan problem of the demo program (DEMO.md)."""

from __future__ import annotations

from resched.core.demo import DemoProgram
from resched.core.demo.catalog import DEMO_GENERATION
from resched.core.model import RequestKind
from resched.core.solver.plan.problem import PlanProblem

# The demo's demanding rotations: the program's choice, so it lives with the demo data.
DEMO_HEAVY_ROTATIONS = DEMO_GENERATION.heavy_rotations


def demo_plan_problem(demo: DemoProgram) -> PlanProblem:
    return PlanProblem(
        residents=demo.residents,
        rotations=demo.rotations,
        blocks=demo.year.blocks,
        absences=demo.absences,
        requests=tuple(
            r for r in demo.requests if r.kind in (RequestKind.ROTATION, RequestKind.VACATION)
        ),
        heavy_rotations=demo.program.generation.heavy_rotations,
        max_heavy_run=demo.program.generation.max_heavy_run,
        weights=dict(demo.program.generation.plan_weights),
    )
