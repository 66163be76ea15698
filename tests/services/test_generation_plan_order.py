"""The rotation plan's problem read from the database lists the rotations in the order the
program set them up, as the program built in memory does, so the greedy first plan (which
breaks ties in that order) is the same from either: on the demo it costs the optimum."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from resched.core.demo import build_demo
from resched.core.solver.config import resolve_weights
from resched.core.solver.plan import DEFAULT_WEIGHTS, RotationPlan, score_plan
from resched.core.solver.plan.greedy import greedy_plan
from resched.services.demo import load_demo
from resched.services.generation import GenerationKind, GenerationRequest, make_spec
from resched.services.generation.inputs import load_base, plan_problem
from tests.generation_data import FAST

pytestmark = pytest.mark.db
Factory = sessionmaker[Session]


def test_the_demo_read_back_plans_as_the_demo_in_memory(session_factory: Factory) -> None:
    load_demo(factory=session_factory)
    spec = make_spec(
        factory=session_factory,
        request=GenerationRequest(GenerationKind.PLAN, limits=FAST, year="2026"),
    )
    with session_factory() as session:
        problem = plan_problem(session, spec, load_base(session, spec.year_id))

    codes = [r.code for r in problem.rotations]
    assert codes == [r.code for r in build_demo().rotations]
    assert codes != sorted(codes)  # the repository's own order, which the plan does not use
    weights = resolve_weights(DEFAULT_WEIGHTS, problem.weights)
    first = greedy_plan(problem, weights)
    assert first is not None
    assert sum(p.cost for p in score_plan(problem, RotationPlan(first), weights)) == 165
