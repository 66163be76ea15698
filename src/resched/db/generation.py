"""The data generation: a counter that every committed change of the program's data raises by
one, in the same transaction, so that a read model cached under the generation it was read at
is known to be current while the generation stays.

Why a counter raised at commit and not the newest audit id or a timestamp: on PostgreSQL ids
come from a sequence and transactions commit out of order, so a reader can see id 101 while
the transaction holding 100 has yet to commit; its change would then land under a key already
used. The counter is one row, raised by an UPDATE as the last statement before COMMIT: the row
lock makes the raises one after another, each visible only with the change it counts. So a
reader that sees generation g (its first statement) sees every change up to g in the
statements after it, perhaps newer ones too, never fewer: an entry keyed by g can only be
newer than g, and a reader of g + 1 misses it. The lock is taken last and held only for the
commit, so two writers never wait on each other in a cycle.

What counts as a change: any INSERT, UPDATE or DELETE sent through a session (the ORM's flushes
and Core statements alike; raw SQL other than SELECT counts too), except on the tables in
``UNCOUNTED``: sign-in sessions, tokens, jobs, notices, mail and the audit trail, which change
on every sign-in or job and which no cached read model may read (tests/db/
test_data_generation.py holds the month view to that). A read-only transaction raises nothing.

Writes outside a session (a bare ``engine.begin()``, a migration, hand SQL) are not counted:
restart the server after them, as after a restore.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, event, func, insert, select, update
from sqlalchemy.orm import Session, SessionTransaction
from sqlalchemy.sql.dml import UpdateBase
from sqlalchemy.sql.elements import TextClause

from resched.db.tables.generation import DATA_GENERATION_ROW, DataGenerationRow

UNCOUNTED = frozenset(
    {
        "audit_event",
        "auth_session",
        "refresh_token",
        "calendar_feed_token",
        "job",
        "notification",
        "mail_outbox",
        DataGenerationRow.__tablename__,
    }
)
_WROTE = "resched.generation.wrote"  # on a connection: a counted write since its session began
_CONNECTIONS = "resched.generation.connections"  # on a session: the connections it began
_READ_ONLY = ("select", "pragma", "show", "set", "begin", "savepoint", "release", "rollback")


def read_generation(session: Session) -> int:
    """The generation this session sees (0 on a database nobody has changed yet)."""
    found = session.execute(select(func.max(DataGenerationRow.generation))).scalar()
    return int(found or 0)


def counts_as_change(statement: object) -> bool:
    """Whether sending ``statement`` (a Core construct or SQL text) changes counted data."""
    if isinstance(statement, UpdateBase):
        table = getattr(statement, "table", None)
        return getattr(table, "name", None) not in UNCOUNTED
    if isinstance(statement, TextClause):
        statement = statement.text
    if isinstance(statement, str):
        words = statement.lstrip().split(None, 1)
        return bool(words) and words[0].lower() not in _READ_ONLY
    return False  # a SELECT, a DDL element: the sessions' writes are DML


@event.listens_for(Engine, "before_execute")
def _note_write(connection: Connection, statement: object, *_args: Any, **_kwargs: Any) -> None:
    if not connection.info.get(_WROTE) and counts_as_change(statement):
        connection.info[_WROTE] = True


@event.listens_for(Session, "after_begin")
def _track(session: Session, _transaction: SessionTransaction, connection: Connection) -> None:
    # Connection.info follows the pooled connection: forget what an earlier user wrote.
    connection.info.pop(_WROTE, None)
    session.info.setdefault(_CONNECTIONS, []).append(connection)


@event.listens_for(Session, "before_commit")
def _raise_generation(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the outer commit counts
    session.flush()  # pending objects are flushed after this hook otherwise
    for connection in session.info.get(_CONNECTIONS, ()):
        if connection.info.pop(_WROTE, False):
            _raise_on(connection)


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction: SessionTransaction) -> None:
    # The connections are closed by now; a note left on one is dropped by its next begin.
    if transaction.parent is None:
        session.info.pop(_CONNECTIONS, None)


def _raise_on(connection: Connection) -> None:
    raised = connection.execute(
        update(DataGenerationRow)
        .where(DataGenerationRow.id == DATA_GENERATION_ROW)
        .values(generation=DataGenerationRow.generation + 1)
    )
    if raised.rowcount == 0:  # a database emptied by hand (the tests' clean-up)
        connection.execute(insert(DataGenerationRow).values(id=DATA_GENERATION_ROW, generation=1))
