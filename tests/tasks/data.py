"""What the job tests run: the demo program with its rotation plan generated and published
(the record a job must never touch), and generation specs whose solves really take time.

Block 1's shifts of the demo program (36 residents, 15 shift types, 28 days plus the look-ahead)
do not solve to optimality in minutes on two cores, so a generation job searches until its
budget is spent: long enough to be cancelled, or to lose its worker, mid-search. The budget is
work (CP-SAT's deterministic time, tests.solve_limits), not seconds: the first schedule comes
after about 0.3 units on two workers, so a few units find one on an idle or a starved machine
alike, and the wall-clock limit is only a safety net.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from resched.core.solver import SolveStatus
from resched.db.tables import BlockAssignmentRow, ScheduleVersionRow, ShiftAssignmentRow
from resched.services.demo import load_demo
from resched.services.generation import (
    GenerationKind,
    GenerationRequest,
    Limits,
    make_spec,
    publish_version,
    run_generation,
    spec_json,
)
from tests.solve_limits import SAFETY_S

Factory = sessionmaker[Session]
SEARCH_WORK = 3.0  # enough to find block 1's first schedule ten times over, and then stop


def demo_with_published_plan(factory: Factory) -> int:
    """The demo program and its generated, published rotation plan; returns the plan's id."""
    load_demo(factory=factory)
    # A year's plan of the demo solves to optimality by itself (OPTIMAL is asserted).
    limits = Limits(time_limit_s=SAFETY_S, seed=1)
    spec = make_spec(
        factory=factory, request=GenerationRequest(GenerationKind.PLAN, limits=limits, year=None)
    )
    outcome = run_generation(factory=factory, spec=spec, actor=None)
    assert outcome.status is SolveStatus.OPTIMAL, outcome
    assert outcome.version_id is not None
    publish_version(factory=factory, version_id=outcome.version_id, actor=None)
    return outcome.version_id


def block_shifts(factory: Factory, work: float | None) -> dict[str, Any]:
    """Job parameters: block 1's shifts with a budget of ``work`` units of deterministic time
    (None: no budget, a search only a cancel or a lost worker ends, for the safety net)."""
    limits = Limits(time_limit_s=SAFETY_S, seed=1, num_workers=2, work_limit=work)
    request = GenerationRequest(GenerationKind.SHIFTS, limits=limits, year=None, block=1)
    return spec_json(make_spec(factory=factory, request=request))


def snapshot(factory: Factory, version_id: int) -> tuple[Any, ...]:
    """Everything a version holds: its row and every assignment, for before/after checks."""
    with factory() as session:
        row = session.get(ScheduleVersionRow, version_id)
        assert row is not None
        blocks = session.execute(
            select(
                BlockAssignmentRow.person_id,
                BlockAssignmentRow.block_id,
                BlockAssignmentRow.half,
                BlockAssignmentRow.rotation_id,
            )
            .where(BlockAssignmentRow.version_id == version_id)
            .order_by(BlockAssignmentRow.id)
        ).all()
        shifts = session.execute(
            select(
                ShiftAssignmentRow.person_id,
                ShiftAssignmentRow.day,
                ShiftAssignmentRow.shift_type_id,
            )
            .where(ShiftAssignmentRow.version_id == version_id)
            .order_by(ShiftAssignmentRow.id)
        ).all()
    return (row.status, row.published_at, tuple(blocks), tuple(shifts))


def version_count(factory: Factory) -> int:
    with factory() as session:
        return len(session.scalars(select(ScheduleVersionRow.id)).all())
