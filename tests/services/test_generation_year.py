"""The whole year as one run: every block generated in order into one draft, each block seeing
the blocks before it (q3 call respected across every boundary), a gap per block, progress per
block, cancel between blocks storing nothing, bad input refused."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections import defaultdict

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from resched.core.errors import Invalid, NotFound
from resched.core.solver import CancelToken, ProgressEvent, SolveStatus
from resched.db.repositories.schedule import ShiftAssignmentRepository
from resched.db.tables import ScheduleVersionRow
from resched.services.generation import (
    GenerationKind,
    GenerationRequest,
    get_generation,
    make_spec,
    run_generation,
    spec_from_json,
    spec_json,
)
from resched.services.generation.outcome import BlockReport
from resched.services.generation.specs import YearSpec
from resched.services.schedules import check_schedule
from tests.generation_data import FAST, Tiny
from tests.year_data import BLOCK_DAYS, BLOCKS, LABEL, YEAR_START, short_year, store_short_year

pytestmark = pytest.mark.db
Factory = sessionmaker[Session]


@pytest.fixture(name="tiny")
def _tiny(session_factory: Factory) -> Tiny:
    return store_short_year(session_factory)


def _spec(factory: Factory, year: str = LABEL, block: int | None = None) -> YearSpec:
    request = GenerationRequest(GenerationKind.YEAR, limits=FAST, year=year, block=block)
    spec = make_spec(factory=factory, request=request)
    assert isinstance(spec, YearSpec)
    return spec


def _versions(factory: Factory) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(ScheduleVersionRow)) or 0


def test_every_block_is_generated_into_one_draft_with_its_gap(
    session_factory: Factory, tiny: Tiny
) -> None:
    events: list[ProgressEvent] = []
    finished: list[tuple[int, int]] = []

    def on_block(report: BlockReport, total: int) -> None:
        finished.append((report.number, total))

    spec = _spec(session_factory)
    outcome = run_generation(
        factory=session_factory,
        spec=spec,
        actor="chief",
        on_progress=events.append,
        on_block=on_block,
    )

    assert outcome.version_id is not None, outcome
    assert outcome.kind is GenerationKind.YEAR
    assert finished == [(n, BLOCKS) for n in range(1, BLOCKS + 1)]
    assert [b.number for b in outcome.blocks] == list(range(1, BLOCKS + 1))
    for block in outcome.blocks:
        assert block.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)
        assert block.gap is not None
        assert 0 <= block.gap <= 0.05
        assert block.objective is not None
        assert block.bound is not None
    assert outcome.objective == sum(b.objective or 0 for b in outcome.blocks)
    assert outcome.best_bound == sum(b.bound or 0 for b in outcome.blocks)
    # Progress counts from the start of the run, so it advances across the blocks.
    assert events
    assert events[-1].elapsed_s >= max(b.seconds for b in outcome.blocks[:1])
    stored = get_generation(factory=session_factory, version_id=outcome.version_id)
    assert stored is not None
    assert stored.blocks == outcome.blocks
    assert stored.parameters["kind"] == "year"

    with session_factory() as session:
        rows = ShiftAssignmentRepository(session).between(
            [outcome.version_id], dt.date.min, dt.date.max
        )
    calls = sorted((a.date, a.person_id) for _, a in rows if a.shift_code == "CALL")
    year = short_year()
    assert [d for d, _ in calls] == [
        year.start + dt.timedelta(days=n) for n in range(BLOCKS * BLOCK_DAYS)
    ]
    checked = check_schedule(factory=session_factory, version_id=outcome.version_id)
    assert [f for f in checked.findings if f.severity.value == "violation"] == []


def _calls_by_person(session_factory: Factory, version_id: int) -> dict[int, list[dt.date]]:
    with session_factory() as session:
        rows = ShiftAssignmentRepository(session).between([version_id], dt.date.min, dt.date.max)
    calls: dict[int, list[dt.date]] = defaultdict(list)
    for _, a in rows:
        if a.shift_code == "CALL":
            calls[a.person_id].append(a.date)
    return calls


def test_each_block_reports_its_fairness_and_the_year_its_chains(
    session_factory: Factory, tiny: Tiny
) -> None:
    """Per block the widest spread of each counter and the shortest gap between two calls (the
    earlier call may lie in the block before); the draft keeps the last block's fairness report
    (its year column is the whole year) and the chains of every block."""
    outcome = run_generation(factory=session_factory, spec=_spec(session_factory), actor="chief")
    assert outcome.version_id is not None, outcome
    calls = _calls_by_person(session_factory, outcome.version_id)
    for block in outcome.blocks:
        assert set(block.spreads) == {"calls", "weekends", "nights", "holidays"}
        assert all(spread >= 0 for spread in block.spreads.values())
        gaps = [
            (later - earlier).days
            for days in calls.values()
            for earlier, later in itertools.pairwise(sorted(days))
            if block.start <= later <= block.end
        ]
        assert block.shortest_call_gap == (min(gaps) if gaps else None)
    assert outcome.fairness is not None
    assert outcome.fairness["start"] == outcome.blocks[-1].start.isoformat()
    assert outcome.chains == ()  # the tiny program's calls leave the program's rest
    stored = get_generation(factory=session_factory, version_id=outcome.version_id)
    assert stored is not None
    assert stored.blocks == outcome.blocks
    assert stored.fairness == outcome.fairness
    assert stored.chains == ()


def test_look_back_holds_q3_call_across_every_block_boundary(
    session_factory: Factory, tiny: Tiny
) -> None:
    outcome = run_generation(factory=session_factory, spec=_spec(session_factory), actor="chief")
    assert outcome.version_id is not None, outcome
    nights = _calls_by_person(session_factory, outcome.version_id)
    boundaries = [YEAR_START + dt.timedelta(days=BLOCK_DAYS * n) for n in range(1, BLOCKS)]
    crossing = 0
    for days in nights.values():
        days.sort()
        for earlier, later in itertools.pairwise(days):
            # In-house call at most every third night: two calls of one resident are at least
            # three nights apart, also when a block boundary lies between them.
            assert (later - earlier).days >= 3, (earlier, later)
            crossing += any(earlier < b <= later for b in boundaries)
    assert crossing >= BLOCKS - 1  # the check above did look across the boundaries


def test_cancel_between_blocks_stores_nothing_and_says_how_far_it_got(
    session_factory: Factory, tiny: Tiny
) -> None:
    cancel = CancelToken()
    done: list[int] = []

    def on_block(report: BlockReport, total: int) -> None:
        done.append(report.number)
        if report.number == 2:
            cancel.cancel()

    before = _versions(session_factory)
    outcome = run_generation(
        factory=session_factory,
        spec=_spec(session_factory),
        actor="chief",
        on_block=on_block,
        cancel=cancel,
    )

    assert outcome.status is SolveStatus.CANCELLED
    assert outcome.version_id is None
    assert done == [1, 2]
    assert [b.number for b in outcome.blocks] == [1, 2]
    assert outcome.message == f"Cancelled (2 of {BLOCKS} block(s) done); nothing was stored."
    assert _versions(session_factory) == before


def test_the_year_spec_round_trips_and_bad_input_is_refused(
    session_factory: Factory, tiny: Tiny
) -> None:
    spec = _spec(session_factory)
    assert (spec.start, spec.end, spec.blocks) == (YEAR_START, short_year().end, BLOCKS)
    assert spec_from_json(spec_json(spec)) == spec
    assert spec.describe() == f"Shifts of the whole year {LABEL} ({BLOCKS} blocks)"
    with pytest.raises(NotFound, match="there is no academic year 1999"):
        _spec(session_factory, year="1999")
    with pytest.raises(Invalid, match="takes no block or dates") as caught:
        _spec(session_factory, block=1)
    assert caught.value.details["field"] == "block"


def test_a_block_without_a_schedule_ends_the_run_naming_it_with_nothing_stored(
    session_factory: Factory, tiny: Tiny
) -> None:
    # So little search work that block 1 finds no schedule, in its share nor in the rescue.
    limits = dataclasses.replace(FAST, work_limit=1e-6)
    request = GenerationRequest(GenerationKind.YEAR, limits=limits, year=LABEL)
    before = _versions(session_factory)

    outcome = run_generation(
        factory=session_factory,
        spec=make_spec(factory=session_factory, request=request),
        actor=None,
    )

    assert outcome.status is SolveStatus.TIMEOUT
    assert outcome.version_id is None
    assert [b.number for b in outcome.blocks] == [1]
    assert outcome.message == (
        "Block 1 found no schedule in its share of the time limit, nor in 60 s more (0 of "
        f"{BLOCKS} block(s) done); nothing was stored."
    )
    assert _versions(session_factory) == before
