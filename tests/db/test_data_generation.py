"""Data generations (resched.db.generation): a table's is raised by one by each committed
transaction that changes it, whatever way it writes (ORM, Core; SQL text raises every
reader's), and by nothing else: not a read, not a rollback, not a write only to the uncounted
tables or to other tables, not a savepoint alone."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import create_engine, delete, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from resched.core.model import Role
from resched.db.base import Base
from resched.db.generation import ANY_TABLE, UNCOUNTED, changed_table, read_generation
from resched.db.session import transaction
from resched.db.tables import MailOutboxRow, PersonRow, RotationRow
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
