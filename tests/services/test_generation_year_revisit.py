"""The whole year's second pass (services/generation/revisit.py): it never leaves the year worse
than the first pass made it, the stored year stays legal, the year's objective stays the sum of
the stored penalties and of the blocks scored again from the database, and every block's bound
stays a proven lower bound on what its own model can reach with the blocks before it as stored.

The limits are deterministic (one worker, a work limit, a first pass stopped far from its
bounds), so the runs repeat; nothing here depends on the wall clock."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from ortools.sat.python import cp_model
from sqlalchemy.orm import Session, sessionmaker

import resched.services.generation.revisit as revisit_module
import resched.services.generation.year as year_module
from resched.core.model import (
    AcademicYear,
    Assignment,
    Block,
    BlockAssignment,
    BlockSchemeKind,
    ScheduleStatus,
)
from resched.core.solver import CancelToken, SolveStatus
from resched.core.solver.config import resolve_weights
from resched.core.solver.shifts.build import build_model
from resched.core.solver.shifts.problem import DEFAULT_WEIGHTS
from resched.services.generation import (
    GenerationKind,
    GenerationOutcome,
    GenerationRequest,
    Limits,
    get_generation,
    make_spec,
    run_generation,
)
from resched.services.generation.outcome import BlockReport
from resched.services.generation.specs import YearSpec
from resched.services.generation.year_blocks import Done, YearSoFar
from resched.services.schedules import check_schedule
from tests.generation_data import store_tiny, store_version
from tests.services.test_generation_year_objective import _busy_weekends, _score, _stored
from tests.solve_limits import SAFETY_S
from tests.year_data import LABEL, block_problem, store_short_year

pytestmark = pytest.mark.db
Factory = sessionmaker[Session]
# One worker and a work limit: the same search on any machine. A first pass stopped at 45 %
# of its bound leaves the second pass something to find. (It was 60 % until the searches began
# from bounds proven on rotation weeks, local_bounds.py: with them the weeks' first pass stopped
# at 60 % left room too, and neither shape showed a second pass that keeps nothing.)
LIMITS = Limits(time_limit_s=SAFETY_S, seed=3, num_workers=1, work_limit=0.5)


def _fortnights(factory: Factory) -> None:
    """A second shape: three two-week blocks, residents turning between the wards and an
    elective, weekends busy (so a block's history reaches one block back, not three)."""
    start = dt.date(2026, 7, 1)
    blocks = tuple(
        Block(n, start + dt.timedelta(days=14 * (n - 1)), start + dt.timedelta(days=14 * n - 1))
        for n in (1, 2, 3)
    )
    year = AcademicYear(LABEL, start, blocks[-1].end, BlockSchemeKind.FOUR_WEEK, blocks, ())
    tiny = store_tiny(factory, year)
    plan = [
        BlockAssignment(p, n, "WARDS" if (i + n) % 4 else "ELEC")
        for i, p in enumerate(tiny.residents)
        for n in (1, 2, 3)
    ]
    store_version(factory, tiny, status=ScheduleStatus.PUBLISHED, plan=plan)
    _busy_weekends(factory)


def _weeks(factory: Factory) -> None:
    store_short_year(factory)
    _busy_weekends(factory)


def _spec(factory: Factory) -> YearSpec:
    request = GenerationRequest(GenerationKind.YEAR, limits=LIMITS, year=LABEL)
    spec = make_spec(factory=factory, request=request)
    assert isinstance(spec, YearSpec)
    return dataclasses.replace(spec, weekend_rotations=frozenset({"WARDS"}))


def _optimum(factory: Factory, spec: YearSpec, block: Block, stored: tuple[Assignment, ...]) -> int:
    """The best block ``block``'s own model can reach with the blocks before it as stored."""
    earlier = tuple(a for a in stored if a.date < block.start)
    problem = block_problem(factory, spec, block, earlier)
    built = build_model(problem, resolve_weights(DEFAULT_WEIGHTS, problem.weights))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    solver.parameters.max_time_in_seconds = SAFETY_S
    assert solver.solve(built.ctx.model) == cp_model.OPTIMAL
    return round(solver.objective_value)


def _run(factory: Factory, spec: YearSpec) -> GenerationOutcome:
    outcome = run_generation(factory=factory, spec=spec, actor="chief")
    assert outcome.version_id is not None, outcome.message
    return outcome


@pytest.mark.parametrize(
    ("shape", "improves"), [(_weeks, False), (_fortnights, True)], ids=["weeks", "fortnights"]
)
def test_a_second_pass_keeps_the_year_legal_accounted_and_never_worse(
    session_factory: Factory, monkeypatch: pytest.MonkeyPatch, shape: object, improves: bool
) -> None:
    assert callable(shape)
    shape(session_factory)
    monkeypatch.setattr(year_module, "TARGET_GAP", 0.45)
    spec = _spec(session_factory)
    with monkeypatch.context() as off:
        off.setattr(year_module, "revisit", lambda *args, **kwargs: None)
        first = _run(session_factory, spec)
    second = _run(session_factory, spec)

    # The same first pass (deterministic), then steps that only ever lower the objective.
    assert second.statistics["revisited"] >= 1
    assert first.objective is not None
    assert second.objective is not None
    assert second.objective <= first.objective
    if second.statistics["revisits_kept"]:
        assert second.objective < first.objective
        assert second.gap is not None
        assert first.gap is not None
        assert second.gap <= first.gap
    # On the fortnights the first pass, stopped at 45 % of its bounds, leaves room that the
    # steps find (with these deterministic limits: 116 -> 99); on the weeks they find none.
    assert bool(second.statistics["revisits_kept"]) is improves
    assert second.violations == 0
    assert second.version_id is not None
    checked = check_schedule(factory=session_factory, version_id=second.version_id)
    assert [f for f in checked.findings if f.severity.value == "violation"] == []

    # Accounting: the stored penalties, the blocks scored again from the database, the bounds.
    stored_report = get_generation(factory=session_factory, version_id=second.version_id)
    assert stored_report is not None
    assert second.objective == sum(p.cost for p in stored_report.penalties)
    stored = _stored(session_factory, second.version_id)
    assert second.best_bound == sum(r.bound or 0 for r in second.blocks)
    for report in second.blocks:
        block = Block(report.number, report.start, report.end)
        assert report.objective == _score(session_factory, spec, block, stored)[0]
        assert report.bound is not None
        assert report.objective is not None
        assert report.bound <= _optimum(session_factory, spec, block, stored) + 1e-6
        assert report.bound <= report.objective


def _done(number: int, objective: float, bound: float) -> Done:
    day = dt.date(2026, 7, number)
    report = BlockReport(number, day, day, SolveStatus.FEASIBLE, objective, bound, None, 1.0)
    return Done(Block(number, day, day), (), (), (), (), report, {})


@pytest.mark.parametrize(
    ("step", "kept"),
    [
        ({1: (90.0, 50.0)}, True),  # 190 / 100 -> 180 / 100
        ({1: (100.0, 50.0)}, False),  # the objective does not fall
        ({1: (95.0, 50.0), 2: (90.0, 40.0)}, False),  # 185 / 90: the gap grows
        ({1: (95.0, 50.0), 2: (85.0, 48.0)}, True),  # 180 / 98: both better
    ],
)
def test_a_step_is_kept_only_if_the_objective_falls_and_the_gap_does_not_grow(
    step: dict[int, tuple[float, float]], kept: bool
) -> None:
    year = YearSoFar([_done(1, 100.0, 50.0), _done(2, 90.0, 50.0)])
    scored = {i - 1: _done(i, *figures) for i, figures in step.items()}
    before = list(year.done)
    assert revisit_module._keep(year, scored, 5.0) is kept
    if kept:
        assert [d.report.objective for d in year.done] == [
            scored.get(i, d).report.objective for i, d in enumerate(before)
        ]
        assert year.done[0].report.seconds == 6.0  # the step's time goes to the block changed
    else:
        assert year.done == before


def test_cancel_in_the_second_pass_stores_nothing(
    session_factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    _weeks(session_factory)
    monkeypatch.setattr(year_module, "TARGET_GAP", 0.6)
    cancel = CancelToken()
    steps: list[int] = []
    step = revisit_module._step

    def cancelled_in(*args: Any, **kwargs: Any) -> bool:
        steps.append(1)
        cancel.cancel()  # as if the coordinator pressed cancel during the step's search
        return step(*args, **kwargs)

    monkeypatch.setattr(revisit_module, "_step", cancelled_in)
    outcome = run_generation(
        factory=session_factory, spec=_spec(session_factory), actor="chief", cancel=cancel
    )
    assert steps == [1]  # no step after the cancel
    assert outcome.status is SolveStatus.CANCELLED
    assert outcome.version_id is None
    assert outcome.message == "Cancelled (4 of 4 block(s) done); nothing was stored."
