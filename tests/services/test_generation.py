"""Generation from the database: a rotation plan and a week of shifts stored as drafts with
their report, infeasible input explained and nothing stored, cancel, bad input refused."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from resched.core.errors import Invalid, NotFound
from resched.core.model import Absence, AbsenceType, AssignmentSource, ScheduleStatus
from resched.core.solver import CancelToken, ProgressEvent, SolveStatus
from resched.core.solver.shifts import Mode
from resched.db.repositories.generation import block_assignments
from resched.db.repositories.schedule import ShiftAssignmentRepository
from resched.db.tables import ScheduleVersionRow
from resched.services import absences
from resched.services.audit import list_audit_events
from resched.services.generation import (
    GenerationKind,
    GenerationRequest,
    Limits,
    diff_versions,
    get_generation,
    make_spec,
    publish_version,
    run_generation,
    spec_from_json,
    spec_json,
)
from resched.services.schedules import check_schedule, get_schedule
from tests.generation_data import (
    FAST,
    WEEK_END,
    WEEK_START,
    Tiny,
    everyone_away,
    store_tiny,
    store_version,
)

pytestmark = pytest.mark.db
Factory = sessionmaker[Session]


@pytest.fixture
def tiny(session_factory: Factory) -> Tiny:
    return store_tiny(session_factory)


def _versions(factory: Factory) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(ScheduleVersionRow)) or 0


def _week(factory: Factory, mode: Mode = Mode.FRESH) -> object:
    return make_spec(
        factory=factory,
        request=GenerationRequest(
            GenerationKind.SHIFTS, limits=FAST, start=WEEK_START, end=WEEK_END, mode=mode
        ),
    )


def test_plan_generation_stores_an_audited_draft(session_factory: Factory, tiny: Tiny) -> None:
    events: list[ProgressEvent] = []
    spec = make_spec(
        factory=session_factory,
        request=GenerationRequest(GenerationKind.PLAN, limits=FAST, year="2026"),
    )
    outcome = run_generation(
        factory=session_factory, spec=spec, actor="chief", on_progress=events.append
    )

    assert outcome.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE), outcome
    assert outcome.kind is GenerationKind.PLAN
    assert outcome.version_id is not None
    assert outcome.violations == 0
    assert events
    assert events[-1].objective is not None
    version = get_schedule(factory=session_factory, version_id=outcome.version_id)
    assert version.status is ScheduleStatus.DRAFT
    assert version.label == "Rotation plan 2026-27, generated"
    with session_factory() as session:
        cells = block_assignments(session, outcome.version_id)
    assert len(cells) == 4 * 13
    assert all(sum(c.rotation_code == "WARDS" for c in cells if c.block_number == n) >= 1
               for n in range(1, 14))  # fmt: skip
    stored = get_generation(factory=session_factory, version_id=outcome.version_id)
    assert stored is not None
    assert (stored.status, stored.objective) == (outcome.status, outcome.objective)
    assert stored.parameters["year"] == "2026-27"
    audit = list_audit_events(factory=session_factory, entity="schedule_version").items
    assert [(e.action, e.actor) for e in audit] == [("generate", "chief")]


def test_shift_week_is_stored_and_validates_clean(session_factory: Factory, tiny: Tiny) -> None:
    base = store_version(session_factory, tiny, status=ScheduleStatus.PUBLISHED)
    outcome = run_generation(factory=session_factory, spec=_week(session_factory), actor="chief")

    assert outcome.version_id is not None, outcome
    assert outcome.violations == 0
    assert outcome.chains == ()  # reported, and none: the generator keeps the program's rest
    assert outcome.penalties == tuple(outcome.penalties)
    with session_factory() as session:
        rows = ShiftAssignmentRepository(session).between(
            [outcome.version_id], dt.date.min, dt.date.max
        )
        plan = block_assignments(session, outcome.version_id)
    days = {a.date for _, a in rows}
    assert min(days) == WEEK_START
    assert max(days) == WEEK_END
    calls = [a for _, a in rows if a.shift_code == "CALL"]
    assert len(calls) == 7
    assert all(a.source is AssignmentSource.GENERATED for _, a in rows)
    assert len(plan) == 4 * 13  # the base's rotation plan came along
    checked = check_schedule(factory=session_factory, version_id=outcome.version_id)
    assert [f for f in checked.findings if f.severity.value == "violation"] == []
    assert base != outcome.version_id


def test_shift_draft_keeps_the_base_outside_the_range(session_factory: Factory, tiny: Tiny) -> None:
    from resched.core.model import Assignment

    earlier = Assignment(tiny.residents[0], dt.date(2026, 7, 2), "CALL", AssignmentSource.MANUAL)
    later = Assignment(tiny.residents[1], dt.date(2026, 7, 20), "CALL", AssignmentSource.MANUAL)
    inside = Assignment(tiny.residents[2], WEEK_START, "DAY", AssignmentSource.MANUAL)
    store_version(
        session_factory, tiny, status=ScheduleStatus.PUBLISHED, shifts=(earlier, later, inside)
    )
    outcome = run_generation(factory=session_factory, spec=_week(session_factory), actor=None)
    assert outcome.version_id is not None
    with session_factory() as session:
        rows = [
            a
            for _, a in ShiftAssignmentRepository(session).between(
                [outcome.version_id], dt.date.min, dt.date.max
            )
        ]
    kept = {(a.person_id, a.date, a.shift_code, a.source) for a in rows}
    assert (earlier.person_id, earlier.date, "CALL", AssignmentSource.MANUAL) in kept
    assert (later.person_id, later.date, "CALL", AssignmentSource.MANUAL) in kept
    assert (inside.person_id, inside.date, "DAY", AssignmentSource.MANUAL) not in kept


def test_infeasible_week_stores_nothing_and_explains(session_factory: Factory, tiny: Tiny) -> None:
    store_version(session_factory, tiny, status=ScheduleStatus.PUBLISHED)
    everyone_away(session_factory, tiny, dt.date(2026, 7, 8))
    before = _versions(session_factory)

    outcome = run_generation(factory=session_factory, spec=_week(session_factory), actor=None)

    assert outcome.status is SolveStatus.INFEASIBLE
    assert outcome.version_id is None
    assert _versions(session_factory) == before
    assert any("Jul 8" in line and "0 of 4" in line for line in outcome.conflicts), outcome
    assert "nothing was stored" in outcome.message


def test_cancel_stops_the_solve_and_stores_nothing(session_factory: Factory, tiny: Tiny) -> None:
    store_version(session_factory, tiny, status=ScheduleStatus.PUBLISHED)
    token = CancelToken()
    token.cancel()
    before = _versions(session_factory)
    outcome = run_generation(
        factory=session_factory, spec=_week(session_factory), actor=None, cancel=token
    )
    assert outcome.status is SolveStatus.CANCELLED
    assert outcome.version_id is None
    assert _versions(session_factory) == before


def test_shifts_need_a_rotation_plan(session_factory: Factory, tiny: Tiny) -> None:
    with pytest.raises(Invalid, match="no rotation plan"):
        run_generation(factory=session_factory, spec=_week(session_factory), actor=None)


def test_bad_ranges_and_years_are_refused(session_factory: Factory, tiny: Tiny) -> None:
    with pytest.raises(NotFound, match="no academic year 1999"):
        make_spec(
            factory=session_factory,
            request=GenerationRequest(GenerationKind.PLAN, limits=FAST, year="1999"),
        )
    with pytest.raises(NotFound, match="no block 14"):
        make_spec(
            factory=session_factory,
            request=GenerationRequest(GenerationKind.SHIFTS, limits=FAST, block=14),
        )
    with pytest.raises(Invalid, match="before the start") as caught:
        make_spec(
            factory=session_factory,
            request=GenerationRequest(
                GenerationKind.SHIFTS, limits=FAST, start=WEEK_END, end=WEEK_START
            ),
        )
    assert caught.value.details["field"] == "end"
    with pytest.raises(Invalid, match="not inside one academic year"):
        make_spec(
            factory=session_factory,
            request=GenerationRequest(
                GenerationKind.SHIFTS,
                limits=FAST,
                start=dt.date(2027, 6, 1),
                end=dt.date(2027, 7, 3),
            ),
        )
    block = make_spec(
        factory=session_factory,
        request=GenerationRequest(GenerationKind.SHIFTS, limits=FAST, year="2026-27", block=2),
    )
    assert (block.start, block.end) == (dt.date(2026, 7, 29), dt.date(2026, 8, 25))


def test_a_work_limit_bounds_the_search_and_travels_with_the_job(
    session_factory: Factory, tiny: Tiny
) -> None:
    """CP-SAT's deterministic time, the load-independent budget the tests solve under, reaches
    the solver and survives the trip through a job's JSON parameters; without one, the
    parameters a job carries are unchanged."""
    limits = dataclasses.replace(FAST, work_limit=2.5)
    spec = make_spec(
        factory=session_factory,
        request=GenerationRequest(
            GenerationKind.SHIFTS, limits=limits, start=WEEK_START, end=WEEK_END
        ),
    )
    assert spec.config.parameters["max_deterministic_time"] == 2.5
    assert spec_json(spec)["work_limit"] == 2.5
    assert spec_from_json(spec_json(spec)) == spec
    assert Limits.of(spec.config) == limits  # as a job's spec is checked again on submit
    plain = make_spec(
        factory=session_factory,
        request=GenerationRequest(
            GenerationKind.SHIFTS, limits=FAST, start=WEEK_START, end=WEEK_END
        ),
    )
    assert "work_limit" not in spec_json(plain)
    assert "max_deterministic_time" not in plain.config.parameters
    with pytest.raises(Invalid) as caught:
        Limits(work_limit=0).config()
    assert caught.value.details == {"field": "work_limit"}


def test_repair_changes_only_what_an_absence_breaks(session_factory: Factory, tiny: Tiny) -> None:
    store_version(session_factory, tiny, status=ScheduleStatus.PUBLISHED)
    first = run_generation(factory=session_factory, spec=_week(session_factory), actor=None)
    assert first.version_id is not None
    publish_version(factory=session_factory, version_id=first.version_id, actor="chief")
    with session_factory() as session:
        week = ShiftAssignmentRepository(session).between([first.version_id], WEEK_START, WEEK_END)
    sick_day = dt.date(2026, 7, 8)
    (on_call,) = [a.person_id for _, a in week if a.date == sick_day and a.shift_code == "CALL"]
    absences.create_absence(
        factory=session_factory, absence=Absence(on_call, sick_day, sick_day, AbsenceType.SICK)
    )

    repaired = run_generation(
        factory=session_factory, spec=_week(session_factory, Mode.REPAIR), actor=None
    )

    assert repaired.version_id is not None, repaired
    assert repaired.violations == 0, repaired.findings
    changes = diff_versions(factory=session_factory, version_id=repaired.version_id).shifts
    assert any(c.person_id == on_call and c.date == sick_day and c.after == () for c in changes)
    # The sick day's call moves, with what that forces (a swapped call, a post-call day);
    # the rest of the week stays as published.
    assert len(changes) <= 6
    assert all(sick_day <= c.date <= sick_day + dt.timedelta(days=2) for c in changes), changes
    with session_factory() as session:
        rows = ShiftAssignmentRepository(session).between([repaired.version_id], sick_day, sick_day)
    new_call = next(a for _, a in rows if a.shift_code == "CALL")
    assert new_call.source is AssignmentSource.REPAIR


def test_a_shift_draft_stores_its_fairness_report(session_factory: Factory, tiny: Tiny) -> None:
    """The range's spreads among the goal's pools (here the two PGY-1 ward residents share
    the calls; the PGY-2 and PGY-3 have no one to compare with), counted from the draft itself,
    and each resident's shortest gap between two calls; read back with the report."""
    store_version(session_factory, tiny, status=ScheduleStatus.PUBLISHED)
    outcome = run_generation(factory=session_factory, spec=_week(session_factory), actor="chief")
    assert outcome.version_id is not None, outcome
    report = outcome.fairness
    assert report is not None
    assert report["format"] == "resched.range-fairness/v1"
    assert (report["start"], report["end"]) == (WEEK_START.isoformat(), WEEK_END.isoformat())
    with session_factory() as session:
        rows = ShiftAssignmentRepository(session).between(
            [outcome.version_id], WEEK_START, WEEK_END
        )
    calls = dict.fromkeys(tiny.residents[:2], 0)
    for _, a in rows:
        if a.shift_code == "CALL" and a.person_id in calls:
            calls[a.person_id] += 1
    (pool,) = [p for p in report["pools"] if p["counter"] == "calls"]
    assert pool["pool"] == "PGY-1 on WARDS"
    assert pool["members"] == ["r1", "r2"]
    assert (pool["range"]["min"], pool["range"]["max"]) == (
        min(calls.values()),
        max(calls.values()),
    )
    assert pool["range"]["spread"] <= 1
    assert all(g["nights"] >= 2 for g in report["call_gaps"])
    stored = get_generation(factory=session_factory, version_id=outcome.version_id)
    assert stored is not None
    assert stored.fairness == report
