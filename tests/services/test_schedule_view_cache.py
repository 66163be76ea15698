"""The Schedule page's view kept per process (services/pages/schedule_view.py): served again
while the data generation stands, built again after any change, the same entry for every
reader with each one's absences taken out; and reading the pages changes nothing counted, so
the entry lasts. On the demo and on the pediatrics-like program."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from resched.core.model import Absence, AbsenceStatus, AbsenceType, Assignment
from resched.db.base import Base
from resched.db.generation import read_generation
from resched.db.repositories import AbsenceRepository
from resched.db.session import transaction
from resched.services import absences
from resched.services.pages.schedule_filters import ScheduleFilters
from resched.services.pages.schedule_range import Grouping, ViewKind
from resched.services.pages.schedule_view import (
    VIEW_TABLES,
    ScheduleQuery,
    ScheduleView,
    load_schedule_view,
)
from resched.services.permissions import EVERY_ABSENCE, AbsenceVisibility
from resched.services.read_cache import BoundedCache, cache_for, clear_read_caches
from tests.accounts import add_user, make_app, page_client
from tests.tables_read import tables_read
from tests.today_data import DUTY_PROGRAMS, Duties, request_leave, store_shifts

Factory = sessionmaker[Session]


@pytest.fixture(params=sorted(DUTY_PROGRAMS))
def duties(request: pytest.FixtureRequest, session_factory: Factory) -> Duties:
    return DUTY_PROGRAMS[request.param](session_factory)


def _cache(factory: Factory) -> BoundedCache[ScheduleView]:
    return cache_for(factory, "schedule_view", lambda: BoundedCache[ScheduleView](1))


def _view(
    factory: Factory, duties: Duties, visibility: AbsenceVisibility = EVERY_ABSENCE
) -> ScheduleView:
    return load_schedule_view(
        factory=factory,
        query=ScheduleQuery(anchor=duties.day),
        now=duties.at(6, 30),
        include_drafts=True,
        absences=visibility,
    )


def _away(view: ScheduleView) -> dict[int, list[dt.date]]:
    """Person id -> the days their row shows them away."""
    found: dict[int, list[dt.date]] = {}
    for group in view.groups:
        for row in group.rows:
            for day, cell in zip(view.days, row.cells, strict=True):
                if cell.away is not None and row.person_id is not None:
                    found.setdefault(row.person_id, []).append(day.day)
    return found


def test_served_again_until_something_changes(session_factory: Factory, duties: Duties) -> None:
    cache = _cache(session_factory)
    first = _view(session_factory, duties)
    hits = cache.hits
    again = _view(session_factory, duties)
    assert cache.hits == hits + 1
    assert again is first  # the very entry: nothing was read but the generation
    # A minute later, the same day: still the entry; the next day is a new view.
    assert _view_at(session_factory, duties, dt.timedelta(seconds=59)) is first
    tomorrow = _view_at(session_factory, duties, dt.timedelta(days=1))
    assert [d.day for d in tomorrow.days if d.is_today] == [duties.day + dt.timedelta(days=1)]
    # A shift stored: the next view shows it.
    resident = duties.plan.residents[-1]
    store_shifts(
        session_factory, duties.plan.version_id, [Assignment(resident, duties.day, "NIGHT")]
    )
    changed = _view(session_factory, duties)
    assert changed is not first
    row = next(r for g in changed.groups for r in g.rows if r.person_id == resident)
    index = (duties.day - changed.start).days
    night = next(s.label for s in changed.legend if s.shift.code == "NIGHT")
    assert [e.label for e in row.cells[index].entries] == [night]
    before = next(r for g in first.groups for r in g.rows if r.person_id == resident)
    assert before.cells[index].entries != row.cells[index].entries


def test_a_leave_request_keeps_the_view_and_its_approval_shows_it(
    session_factory: Factory, duties: Duties
) -> None:
    """The view marks approved absences only: a request keeps the entry; approved, the next
    view shows the days away."""
    first = _view(session_factory, duties)
    asked = request_leave(session_factory, duties)
    assert _view(session_factory, duties) is first
    assert asked.id is not None
    approved = dataclasses.replace(asked, status=AbsenceStatus.APPROVED)
    with transaction(session_factory) as session:  # as the leave decision writes it
        AbsenceRepository(session).replace(asked.id, approved)
    shown = _view(session_factory, duties)
    assert shown is not first
    row = next(r for g in shown.groups for r in g.rows if r.person_id == duties.call)
    assert row.cells[(duties.day - shown.start).days].away is not None


def _view_at(factory: Factory, duties: Duties, later: dt.timedelta) -> ScheduleView:
    return load_schedule_view(
        factory=factory,
        query=ScheduleQuery(anchor=duties.day),
        now=duties.at(6, 30) + later,
        include_drafts=True,
    )


def test_one_entry_serves_each_reader_their_absences(
    session_factory: Factory, duties: Duties
) -> None:
    first, second = duties.plan.residents[0], duties.plan.residents[1]
    for person, offset in ((first, 2), (second, 4)):
        day = duties.day + dt.timedelta(days=offset)
        absences.create_absence(
            factory=session_factory,
            absence=Absence(person, day, day + dt.timedelta(days=1), AbsenceType.VACATION),
        )
    everyone = _view(session_factory, duties)  # a coordinator fills the cache
    assert {first, second} <= set(_away(everyone))
    cache = _cache(session_factory)
    hits = cache.hits
    own = _view(session_factory, duties, AbsenceVisibility(everyone=False, own_person_id=first))
    assert cache.hits == hits + 1
    assert set(_away(own)) == {first}
    assert _away(own)[first] == _away(everyone)[first]
    agenda_away = {p.id for day in own.agenda for p in day.away}
    assert agenda_away == {first}
    nobody = _view(session_factory, duties, AbsenceVisibility(everyone=False))
    assert _away(nobody) == {}
    assert all(not day.away for day in nobody.agenda)
    # The entry itself still holds everyone's: the coordinator's next view shows them.
    assert set(_away(_view(session_factory, duties))) >= {first, second}
    assert dataclasses.replace(own, groups=everyone.groups, agenda=everyone.agenda) == everyone


@pytest.mark.parametrize(
    "query",
    [
        ScheduleQuery(),
        ScheduleQuery(kind=ViewKind.DAY, grouping=Grouping.SHIFT),
        ScheduleQuery(kind=ViewKind.WEEK, filters=ScheduleFilters(pgy=1), calls_only=True),
    ],
    ids=["month", "day by shift", "week filtered"],
)
def test_the_view_reads_only_the_tables_its_key_covers(
    session_factory: Factory, duties: Duties, engine: Engine, query: ScheduleQuery
) -> None:
    for drafts, version in ((True, None), (False, None), (True, duties.plan.version_id)):
        clear_read_caches()
        with tables_read(engine) as read:
            load_schedule_view(
                factory=session_factory,
                query=dataclasses.replace(query, version_id=version),
                now=duties.at(6, 30),
                include_drafts=drafts,
            )
        assert read - {"data_generation"} <= VIEW_TABLES
        assert "shift_assignment" in read


def test_reading_the_pages_changes_nothing_counted(
    session_factory: Factory, duties: Duties, database_url: str
) -> None:
    app = make_app(database_url)
    resident = add_user(session_factory, "resident", person_id=duties.plan.residents[0])
    coordinator = add_user(session_factory, "coordinator")
    with session_factory() as session:
        before = read_generation(session, Base.metadata.tables)
    for user, paths in (
        (resident, ("/today", "/me", "/schedule", "/compliance")),
        (coordinator, ("/today", "/schedule", "/compliance")),
    ):
        client = page_client(app, user)
        for path in paths:
            assert client.get(path).status_code == 200, path
    with session_factory() as session:
        assert read_generation(session, Base.metadata.tables) == before


def test_readers_who_see_a_view_alike_share_one_object(
    session_factory: Factory, duties: Duties
) -> None:
    away, others = duties.plan.residents[0], duties.plan.residents[1:3]
    day = duties.day + dt.timedelta(days=2)
    absences.create_absence(
        factory=session_factory,
        absence=Absence(away, day, day, AbsenceType.VACATION),
    )
    views = [
        _view(session_factory, duties, AbsenceVisibility(everyone=False, own_person_id=p))
        for p in (*others, None)
    ]
    assert all(v is views[0] for v in views)  # none of them away: one object
    assert _away(views[0]) == {}
    own = _view(session_factory, duties, AbsenceVisibility(everyone=False, own_person_id=away))
    assert own is not views[0]
    assert _away(own) == {away: [day]}
    again = _view(session_factory, duties, AbsenceVisibility(everyone=False, own_person_id=away))
    assert again is own
