"""My schedule's calendar - the program, its years, the published versions, the shift types -
kept per process under the data generation of the tables it reads (services/pages/
my_schedule.py): served again while nothing changed, read again at once after a change, and
reading no table its key does not cover. On the demo and on the pediatrics-like program."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session, sessionmaker

from resched.db.repositories import ProgramRepository
from resched.db.tables import ShiftTypeRow
from resched.services.pages import my_schedule
from resched.services.pages.my_schedule import CALENDAR_TABLES, load_my_schedule
from resched.services.read_cache import clear_read_caches
from tests.conftest import StatementCounter
from tests.tables_read import tables_read
from tests.today_data import DUTY_PROGRAMS, Duties

pytestmark = pytest.mark.db

Factory = sessionmaker[Session]


@pytest.fixture(params=sorted(DUTY_PROGRAMS))
def duties(request: pytest.FixtureRequest, session_factory: Factory) -> Duties:
    return DUTY_PROGRAMS[request.param](session_factory)


def test_served_again_until_something_changes(
    session_factory: Factory, duties: Duties, statement_counter: StatementCounter
) -> None:
    clear_read_caches()
    views: list[my_schedule.MyScheduleView] = []

    def load() -> None:
        views.append(
            load_my_schedule(factory=session_factory, person_id=duties.call, now=duties.at(6))
        )

    cold = statement_counter.count(load)
    warm = statement_counter.count(load)
    # The calendar's own statements (the program, the years with their blocks and holidays,
    # the published versions, the shift types) are the difference.
    calendar = statement_counter.count(lambda: my_schedule._read(session_factory))
    assert calendar >= 4
    assert warm == cold - calendar
    assert views[1] == views[0]
    assert views[0].shift_types  # the call is on the page, so its type is in the legend
    # The program renamed and a shown shift type renamed: both on the next view.
    with session_factory.begin() as session:
        programs = ProgramRepository(session)
        program = programs.get()
        assert program is not None
        programs.save(dataclasses.replace(program, name="Renamed Program"))
    code = views[0].shift_types[0].code
    with session_factory.begin() as session:
        renamed = update(ShiftTypeRow).where(ShiftTypeRow.code == code).values(name="Renamed")
        session.execute(renamed)
    changed = load_my_schedule(factory=session_factory, person_id=duties.call, now=duties.at(6))
    assert changed.program_name == "Renamed Program"
    assert next(s.name for s in changed.shift_types if s.code == code) == "Renamed"
    clear_read_caches()
    fresh = load_my_schedule(factory=session_factory, person_id=duties.call, now=duties.at(6))
    assert changed == fresh


def test_the_calendar_reads_only_the_tables_its_key_covers(
    session_factory: Factory, duties: Duties, engine: Engine
) -> None:
    with tables_read(engine) as read:
        calendar = my_schedule._read(session_factory)
    assert read <= CALENDAR_TABLES
    assert {"program", "academic_year", "schedule_version", "shift_type"} <= read
    assert calendar.records  # the duties are published
