"""Data generations (resched.db.generation): a table's is raised by one by each committed
transaction that changes it, whatever way it writes (ORM, Core; SQL text raises every
reader's), and by nothing else: not a read, not a rollback, not a write only to the uncounted
tables or to other tables, not a savepoint alone."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
from sqlalchemy import create_engine, delete, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from resched.core.model import AbsenceStatus, AbsenceType, Role
from resched.db.base import Base
from resched.db.generation import (
    ABSENCE_REQUESTS,
    ANY_TABLE,
    UNCOUNTED,
    changed_table,
    read_generation,
)
from resched.db.session import transaction
from resched.db.tables import AbsenceRow, MailOutboxRow, PersonRow, RotationRow
from tests.conftest import is_postgres

Factory = sessionmaker[Session]


def _generation(factory: Factory, *tables: str) -> int:
    with factory() as session:
        return read_generation(session, tables or ("person",))


def _person(code: str) -> PersonRow:
    return PersonRow(code=code, name=f"Dr {code}", role=Role.RESIDENT)


def test_each_committed_change_raises_it_by_one(session_factory: Factory) -> None:
    start = _generation(session_factory)
    with transaction(session_factory) as session:
        session.add(_person("a1"))
        session.flush()
        session.add(_person("a2"))  # a second flush in the same transaction: still one
    assert _generation(session_factory) == start + 1
    with transaction(session_factory) as session:  # a Core UPDATE
        session.execute(update(PersonRow).where(PersonRow.code == "a1").values(name="Dr One"))
    assert _generation(session_factory) == start + 2
    rotations = _generation(session_factory, "rotation")
    with transaction(session_factory) as session:  # SQL text: every reader's sum moves
        session.execute(text("DELETE FROM person WHERE code = 'a2'"))
    assert _generation(session_factory) == start + 3
    assert _generation(session_factory, "rotation") == rotations + 1
    with transaction(session_factory) as session:  # an ORM object changed in place
        row = session.scalars(select(PersonRow).where(PersonRow.code == "a1")).one()
        row.name = "Dr Uno"
    assert _generation(session_factory) == start + 4


def test_reads_rollbacks_and_uncounted_tables_leave_it(session_factory: Factory) -> None:
    with transaction(session_factory) as session:
        session.add(_person("b1"))
    start = _generation(session_factory)
    with session_factory() as session:
        session.scalars(select(PersonRow)).all()
        session.execute(text("SELECT count(*) FROM person"))
        session.commit()
    with session_factory() as session:
        session.begin()
        session.execute(delete(PersonRow))
        session.rollback()
    with transaction(session_factory) as session:
        session.add(MailOutboxRow(to_address="a@example.org", subject="hi"))
    with transaction(session_factory) as session:  # another table's change
        session.add(RotationRow(code="ROT", name="A rotation"))
    assert _generation(session_factory) == start
    assert _generation(session_factory, "person", "rotation") == start + 1
    with session_factory() as session:  # the rolled-back delete is undone
        assert session.scalar(select(PersonRow.code)) == "b1"


def test_a_savepoint_counts_once_with_its_transaction(session_factory: Factory) -> None:
    start = _generation(session_factory)
    with transaction(session_factory) as session:
        with session.begin_nested():
            session.add(_person("c1"))
        assert _generation(session_factory) == start  # not committed yet
        with session.begin_nested():
            session.add(_person("c2"))
    assert _generation(session_factory) == start + 1


def test_a_tables_first_change_makes_its_row(session_factory: Factory) -> None:
    with session_factory.kw["bind"].begin() as connection:  # as the tests' clean-up does
        connection.execute(text("DELETE FROM data_generation"))
    assert _generation(session_factory) == 0
    with transaction(session_factory) as session:
        session.add(_person("d1"))
    with transaction(session_factory) as session:
        session.add(_person("d2"))
    assert _generation(session_factory) == 2


def test_what_counts_as_a_change() -> None:
    assert changed_table(update(PersonRow).values(name="x")) == "person"
    assert changed_table(delete(RotationRow)) == "rotation"
    assert changed_table(text("  update person set name = 'x'")) == ANY_TABLE
    assert changed_table("INSERT INTO person (code) VALUES ('x')") == ANY_TABLE
    assert changed_table(select(PersonRow)) is None
    assert changed_table(text("select 1")) is None
    assert changed_table(delete(MailOutboxRow)) is None
    # The uncounted tables exist, and the schedule's own tables are counted.
    assert set(Base.metadata.tables) >= UNCOUNTED
    for table in ("shift_assignment", "schedule_version", "absence", "person", "program"):
        assert table not in UNCOUNTED


def _absence(person_id: int, status: AbsenceStatus, day: int = 1) -> AbsenceRow:
    start = dt.date(2026, 7, day)
    return AbsenceRow(
        person_id=person_id,
        start_date=start,
        end_date=start,
        type=AbsenceType.VACATION,
        status=status,
    )


def test_leave_requests_inserted_are_counted_apart(session_factory: Factory) -> None:
    """A request inserted raises ``absence_request`` only (the checks and views read approved
    absences); an approved absence inserted, a decision (an UPDATE) and a delete raise
    ``absence``, as does an INSERT that holds one approved row among requests."""
    with transaction(session_factory) as session:
        person = _person("r1")
        session.add(person)
        session.flush()
        person_id = person.id

    def counts() -> tuple[int, int]:
        return _generation(session_factory, "absence"), _generation(
            session_factory, ABSENCE_REQUESTS
        )

    start = counts()
    with transaction(session_factory) as session:
        session.add(_absence(person_id, AbsenceStatus.REQUESTED, 1))
        session.add(_absence(person_id, AbsenceStatus.REQUESTED, 2))
    # Each reader's sum includes ANY_TABLE, so the two differ only by their own row.
    assert counts() == (start[0], start[1] + 1)
    with transaction(session_factory) as session:  # the decision
        first = AbsenceRow.start_date == dt.date(2026, 7, 1)
        row = session.scalars(select(AbsenceRow).where(first)).one()
        row.status = AbsenceStatus.APPROVED
    assert counts() == (start[0] + 1, start[1] + 1)
    with transaction(session_factory) as session:
        session.add(_absence(person_id, AbsenceStatus.APPROVED, 3))
    assert counts() == (start[0] + 2, start[1] + 1)
    with transaction(session_factory) as session:  # one approved among requests
        session.add(_absence(person_id, AbsenceStatus.REQUESTED, 4))
        session.add(_absence(person_id, AbsenceStatus.APPROVED, 5))
    assert counts()[0] == start[0] + 3
    with transaction(session_factory) as session:  # a request withdrawn: a delete
        session.execute(delete(AbsenceRow).where(AbsenceRow.start_date == dt.date(2026, 7, 2)))
    assert counts()[0] == start[0] + 4


def test_what_counts_as_a_leave_request() -> None:
    insert = AbsenceRow.__table__.insert()
    request = {"person_id": 1, "status": AbsenceStatus.REQUESTED}
    assert changed_table(insert, [request]) == ABSENCE_REQUESTS
    assert changed_table(insert, [request, {**request, "status": "approved"}]) == "absence"
    assert changed_table(insert, [{"person_id": 1}]) == "absence"  # the default: not read
    assert changed_table(insert) == "absence"  # no parameters
    # Values built into the statement are not looked into.
    assert changed_table(insert.values(person_id=1, status="requested"), [request]) == "absence"
    assert changed_table(update(AbsenceRow).values(status="requested"), [request]) == "absence"


def test_concurrent_writers_each_count(session_factory: Factory, database_url: str) -> None:
    """Two transactions writing at once on PostgreSQL (SQLite has one writer at a time): the
    second to commit waits for the first's raise, and neither is lost."""
    if not is_postgres(database_url):
        pytest.skip("SQLite runs one writer at a time")
    start = _generation(session_factory)
    first = session_factory()
    first.begin()
    first.add(_person("e1"))
    first.flush()
    done = threading.Event()

    def second() -> None:
        with transaction(session_factory) as session:
            session.add(_person("e2"))
        done.set()

    worker = threading.Thread(target=second)
    worker.start()
    assert done.wait(timeout=60)  # the second commits while the first is open
    assert _generation(session_factory) == start + 1
    first.commit()
    first.close()
    worker.join()
    assert _generation(session_factory) == start + 2


def test_other_libraries_sessions_are_left_alone(tmp_path: Path) -> None:
    """The embedded broker (kombu) keeps its queue through SQLAlchemy sessions on a database
    of its own, which has no generations: its writes must not try to raise one."""
    engine = create_engine(f"sqlite:///{tmp_path / 'broker.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE message (id INTEGER PRIMARY KEY, body TEXT)"))
    with sessionmaker(bind=engine)() as session, session.begin():
        session.execute(text("INSERT INTO message (body) VALUES ('hello')"))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM message")).scalar() == 1
    engine.dispose()
