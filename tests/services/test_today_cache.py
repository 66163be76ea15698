"""Today's duty lists kept per process (services/pages/today.py): the same for every reader,
served again while the data generation stands and within the minute, built again after a
change; a shift is on from its first minute whatever the seconds of the clock. On the demo
and on the pediatrics-like program (a DST night)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from resched.core.coverage_gaps import coverage_gaps
from resched.core.model import Assignment, Request, RequestKind
from resched.db.repositories import AcademicYearRepository
from resched.services import requests
from resched.services.pages import today_summary
from resched.services.pages.today import BOARD_TABLES, DutyGroup, TodayView, load_today
from resched.services.read_cache import clear_read_caches
from tests.conftest import StatementCounter
from tests.tables_read import tables_read
from tests.today_data import DUTY_PROGRAMS, Duties, request_leave, store_shifts

pytestmark = pytest.mark.db

Factory = sessionmaker[Session]


@pytest.fixture(params=sorted(DUTY_PROGRAMS))
def duties(request: pytest.FixtureRequest, session_factory: Factory) -> Duties:
    return DUTY_PROGRAMS[request.param](session_factory)


def _on(groups: tuple[DutyGroup, ...]) -> set[tuple[int, str]]:
    return {(d.person.id, s.shift.code) for g in groups for s in g.shifts for d in s.people}


def _lists(view: TodayView) -> tuple[object, ...]:
    return (view.version_id, view.on_now, view.today, view.tonight)


def test_served_again_within_the_minute_until_something_changes(
    session_factory: Factory, duties: Duties, statement_counter: StatementCounter
) -> None:
    first = load_today(factory=session_factory, now=duties.at(10))
    later = duties.at(10) + dt.timedelta(seconds=42)
    again: list[TodayView] = []
    statements = statement_counter.count(
        lambda: again.append(load_today(factory=session_factory, now=later))
    )
    assert statements == 1  # the generation only
    assert again[0].on_now is first.on_now  # the very lists
    assert again[0].now == later.astimezone(first.now.tzinfo)  # the reader's own instant
    # A leave request changes no duty: the lists stay. A shift stored for today shows.
    request_leave(session_factory, duties)
    assert load_today(factory=session_factory, now=later).on_now is first.on_now
    resident = duties.plan.residents[-1]
    assert (resident, "NIGHT") not in _on(first.tonight)
    store_shifts(
        session_factory, duties.plan.version_id, [Assignment(resident, duties.day, "NIGHT")]
    )
    changed = load_today(factory=session_factory, now=later)
    assert (resident, "NIGHT") in _on(changed.tonight)


def test_a_shift_is_on_from_its_first_minute(session_factory: Factory, duties: Duties) -> None:
    """The lists are kept per minute: the seconds of the clock never put a shift on early or
    keep one on late, and each answer equals one built afresh for its instant."""
    view = load_today(factory=session_factory, now=duties.at(10))
    starts = sorted({d.starts for g in view.today for s in g.shifts for d in s.people})
    assert starts
    for start in starts:
        for offset in (-30, -1, 0, 1, 59, 60):
            instant = start + dt.timedelta(seconds=offset)
            cached = load_today(factory=session_factory, now=instant)
            clear_read_caches()
            fresh = load_today(factory=session_factory, now=instant)
            assert _lists(cached) == _lists(fresh)
            someone_starting = {
                d.person.id for g in cached.on_now for s in g.shifts for d in s.people
                if d.starts == start
            }  # fmt: skip
            assert bool(someone_starting) == (offset >= 0)


def test_the_lists_read_only_the_tables_their_key_covers(
    session_factory: Factory, duties: Duties, engine: Engine
) -> None:
    for hour in (6, 10, 20):
        clear_read_caches()
        with tables_read(engine) as read:
            load_today(factory=session_factory, now=duties.at(hour))
        assert read - {"data_generation"} <= BOARD_TABLES
        assert "shift_assignment" in read


def test_the_summary_reads_requests_each_time_and_keeps_findings_and_gaps(
    session_factory: Factory, duties: Duties, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Requests and jobs change without a data generation of theirs the summary could key on
    (jobs are not counted): they are read on every view. The findings and coverage gaps are
    worked out once while what they read stands."""
    runs: list[int] = []

    def counted(*args: object) -> object:
        runs.append(1)
        return coverage_gaps(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(today_summary, "coverage_gaps", counted)
    plain = load_today(factory=session_factory, now=duties.at(10))
    first = load_today(factory=session_factory, now=duties.at(10), coordinator=True)
    assert first.on_now is plain.on_now
    assert first.coordinator is not None
    assert dataclasses.replace(first, coordinator=None) == plain
    later = duties.day + dt.timedelta(days=20)
    requests.create_request(
        factory=session_factory,
        request=Request(duties.day_shift, RequestKind.DAY_OFF, later, later, note="A wedding"),
    )
    again = load_today(factory=session_factory, now=duties.at(10), coordinator=True)
    assert again.coordinator is not None
    assert again.coordinator.open_requests == first.coordinator.open_requests + 1
    assert again.coordinator.gaps == first.coordinator.gaps
    assert len(runs) == 1
    # A shift stored: the gaps are worked out again (and equal a fresh reading).
    store_shifts(
        session_factory,
        duties.plan.version_id,
        [Assignment(duties.plan.residents[-1], duties.day, "NIGHT")],
    )
    changed = load_today(factory=session_factory, now=duties.at(10), coordinator=True)
    assert len(runs) == 2
    clear_read_caches()
    fresh = load_today(factory=session_factory, now=duties.at(10), coordinator=True)
    assert changed.coordinator == fresh.coordinator


def test_the_summarys_findings_and_gaps_read_only_their_tables(
    session_factory: Factory, duties: Duties, engine: Engine
) -> None:
    view = load_today(factory=session_factory, now=duties.at(10), coordinator=True)
    assert view.coordinator is not None
    assert view.version_id is not None
    with session_factory() as session:
        (year,) = [
            y for y in AcademicYearRepository(session).all() if y.start <= duties.day <= y.end
        ]
    clear_read_caches()
    with tables_read(engine) as read:
        today_summary._health(
            session_factory, view.version_id, year, view.coordinator.start, view.coordinator.end
        )
    assert read - {"data_generation"} <= today_summary.HEALTH_TABLES
    assert {"coverage_requirement", "block_assignment", "shift_assignment"} <= read
