"""Random small programs: every plan the solver returns passes the independent checker and is
explained by its penalties; every refusal names conflicting requirements."""

from __future__ import annotations

import dataclasses

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from resched.core.model import Absence, BlockAssignment, Request, RequestKind, Rotation
from resched.core.solver import SolveStatus
from resched.core.solver.engine import run_model
from resched.core.solver.explain import explain_infeasibility
from resched.core.solver.plan import DEFAULT_WEIGHTS, PlanProblem, check_plan, plan_rotations
from resched.core.solver.plan.build import build_model
from tests.core.solver.tiny import FAST, absence, problem, residents, rotation

CODES = ("WARDS", "ICU", "NF", "CLINIC")


@st.composite
def rotations(draw: st.DrawFn) -> tuple[Rotation, ...]:
    made = []
    for code in CODES:
        low = draw(st.integers(0, 1))
        high = draw(st.integers(low, 3))
        yearly = {1: (draw(st.integers(0, 1)), draw(st.integers(1, 4)))}
        made.append(
            rotation(
                code,
                cap=(low, high),
                yearly=yearly,
                leave=code == "CLINIC" or draw(st.booleans()),
                half=draw(st.booleans()) and code in ("CLINIC", "WARDS"),
                not_adjacent=draw(st.sampled_from(((), ("NF",), ("ICU",)))),
            )
        )
    return tuple(made)


@st.composite
def problems(draw: st.DrawFn) -> PlanProblem:
    people = residents(*[1] * draw(st.integers(1, 4)))
    base = problem(people, draw(rotations()), count=draw(st.integers(2, 4)))
    ids = st.sampled_from([p.id for p in people])
    blocks = st.sampled_from(base.blocks)
    away: list[Absence] = [absence(draw(ids), draw(blocks)) for _ in range(draw(st.integers(0, 2)))]
    wishes = [
        Request(
            draw(ids),
            RequestKind.ROTATION,
            b.start,
            b.end,
            rotation_code=draw(st.sampled_from(CODES)),
        )
        for b in [draw(blocks) for _ in range(draw(st.integers(0, 2)))]
    ]
    locks = [
        BlockAssignment(draw(ids), draw(blocks).number, draw(st.sampled_from(CODES)))
        for _ in range(draw(st.integers(0, 1)))
    ]
    return dataclasses.replace(
        base,
        absences=tuple(away),
        requests=tuple(wishes),
        locked=tuple(locks),
        heavy_rotations=frozenset({"WARDS", "ICU", "NF"}),
        max_heavy_run=1,
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_every_answer_is_checked_or_explained(p: PlanProblem) -> None:
    result = plan_rotations(p, FAST)
    event(f"status {result.status}")
    assert result.status in (SolveStatus.OPTIMAL, SolveStatus.INFEASIBLE)
    if result.status is SolveStatus.OPTIMAL:
        assert result.solution is not None
        assert check_plan(p, result.solution) == []
        assert result.violations == ()
        assert result.objective == sum(x.cost for x in result.penalties)
    else:
        assert result.solution is None
        assert result.conflicts
        assert result.statistics["conflict_minimal"] == 1
        _assert_minimal_conflict(p)


def _assert_minimal_conflict(p: PlanProblem) -> None:
    """Re-solve with the reported requirements only: together they are infeasible, and without
    any one of them the rest can be met."""
    built = build_model(p, DEFAULT_WEIGHTS, explain=True)
    core = [r.key for r in explain_infeasibility(built.requirements, FAST).requirements]

    def status(keys: list[str]) -> SolveStatus:
        built.model.clear_assumptions()
        built.model.add_assumptions([built.requirements.literal(k) for k in keys])
        return run_model(built.model, FAST).status

    assert status(core) is SolveStatus.INFEASIBLE
    for key in core:
        assert status([k for k in core if k != key]) is SolveStatus.OPTIMAL, key
