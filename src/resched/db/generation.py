"""Data generations: a counter per table that every committed change of the table raises by
one, in the same transaction, so that a read model cached under the generation of the tables
it reads is known to be current while that generation stands.

Why counters raised at commit and not the newest audit id or a timestamp: on PostgreSQL ids
come from a sequence and transactions commit out of order, so a reader can see id 101 while
the transaction holding 100 has yet to commit; its change would then land under a key already
used. A table's counter is one row, raised by an UPSERT among the last statements before
COMMIT: the row lock makes the raises one after another, each visible only with the change it
counts. A reader reads the sum of its tables' counters in one statement, first: it sees every
change up to that sum in the statements after it, perhaps newer ones too, never fewer, so an
entry keyed by the sum can only be newer than its key, and a later reader of a larger sum
misses it. The counters are only ever raised, so the sum only grows. A transaction raises its
tables in name order and takes those locks last, held only for the commit: two writers never
wait on each other in a cycle.

What counts: any INSERT, UPDATE or DELETE sent through a session (the ORM's flushes and Core
statements alike), except on the tables in ``UNCOUNTED``: sign-in sessions, tokens, jobs,
notices, mail and the audit trail, which change on every sign-in or job and which no cached
read model may read. SQL text other than a SELECT raises ``ANY_TABLE``, which every reader
adds to its sum. A read-only transaction raises nothing. The tests hold each cached read model
to the tables it declares (tests/services/test_schedule_view_cache.py, test_check_cache.py).

One table is counted in two parts: an absence INSERTed as a leave request (every row of the
statement with a status other than approved) raises ``ABSENCE_REQUESTS``, not ``absence``. The
checks and the schedule's views read approved absences only, and a request changes neither
until it is decided, which is an UPDATE and raises ``absence`` like every other change of the
table; so a resident asking for leave no longer throws away every coordinator's cached check.
A cached read model that reads requests adds ``ABSENCE_REQUESTS`` to its tables.

Writes outside a session (a bare ``engine.begin()``, a migration, hand SQL) are not counted:
restart the server after them, as after a restore.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, event, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker
from sqlalchemy.sql.dml import Insert, UpdateBase
from sqlalchemy.sql.elements import TextClause

from resched.db.tables.generation import DataGenerationRow

ANY_TABLE = "*"  # raised by SQL text: which table it changed is not known
ABSENCE_REQUESTS = "absence_request"  # absences inserted as requests, not yet approved
_APPROVED = "approved"  # core.model.AbsenceStatus.APPROVED (db does not import the model here)
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
_WRITTEN = "resched.generation.written"  # on a connection: tables changed since its begin
_CONNECTIONS = "resched.generation.connections"  # on a session: the connections it began
_READ_ONLY = ("select", "pragma", "show", "set", "begin", "savepoint", "release", "rollback")


def read_generation(session: Session, tables: Iterable[str]) -> int:
    """The sum of the generations of ``tables`` (and of ``ANY_TABLE``) this session sees."""
    names = {*tables, ANY_TABLE}
    found = session.execute(
        select(func.sum(DataGenerationRow.generation)).where(
            DataGenerationRow.table_name.in_(sorted(names))
        )
    ).scalar()
    return int(found or 0)


def changed_table(statement: object, rows: Sequence[Mapping[str, Any]] = ()) -> str | None:
    """The counted table sending ``statement`` (a Core construct or SQL text, with its
    parameter ``rows``) changes: ``ANY_TABLE`` for SQL text that is not a read,
    ``ABSENCE_REQUESTS`` for leave requests inserted, None for a read or an uncounted table."""
    if isinstance(statement, UpdateBase):
        name = getattr(getattr(statement, "table", None), "name", None)
        if name is None:
            return ANY_TABLE
        if name == "absence" and _requests_only(statement, rows):
            return ABSENCE_REQUESTS
        return None if name in UNCOUNTED else str(name)
    if isinstance(statement, TextClause):
        statement = statement.text
    if isinstance(statement, str):
        words = statement.lstrip().split(None, 1)
        return ANY_TABLE if words and words[0].lower() not in _READ_ONLY else None
    return None  # a SELECT, a DDL element: the sessions' writes are DML


def _requests_only(statement: UpdateBase, rows: Sequence[Mapping[str, Any]]) -> bool:
    """An INSERT whose rows, all given as parameters, each have a status other than approved.
    Values built into the statement (``insert().values(...)``) are not looked into: counted
    as a change of ``absence``, which is never wrong, only less precise."""
    if not isinstance(statement, Insert) or not rows:
        return False
    if statement._values or statement._multi_values:  # no public accessor for these
        return False
    return all("status" in row and str(row["status"]) != _APPROVED for row in rows)


def count_changes(factory: sessionmaker[Session]) -> None:
    """Count the changes made through ``factory``'s sessions (resched.db.session makes every
    factory so). Only resched's own engines and sessions: other libraries' sessions (the
    embedded broker's, on a database of its own) have no generations to raise."""
    engine = factory.kw["bind"]
    if not event.contains(engine, "before_execute", _note_write):
        event.listen(engine, "before_execute", _note_write)
    for name, listener in (
        ("after_begin", _track),
        ("before_commit", _raise_generations),
        ("after_transaction_end", _forget),
    ):
        event.listen(factory, name, listener)


def _note_write(
    connection: Connection,
    statement: object,
    multiparams: Sequence[Any],
    params: Mapping[str, Any],
    execution_options: Mapping[str, Any],
) -> None:
    # Only an INSERT's parameters are read (leave requests): every statement passes here.
    rows = _rows(multiparams, params) if isinstance(statement, Insert) else ()
    table = changed_table(statement, rows)
    if table is not None:
        connection.info.setdefault(_WRITTEN, set()).add(table)


def _rows(multiparams: Sequence[Any], params: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The parameter sets of one execute: ``execute(stmt, [{...}, ...])`` or ``(stmt, {...})``."""
    rows: list[Mapping[str, Any]] = []
    for item in multiparams:
        if isinstance(item, Mapping):
            rows.append(item)
        elif isinstance(item, Sequence) and all(isinstance(r, Mapping) for r in item):
            rows.extend(item)
        else:
            return []  # positional parameters: not read
    if params:
        rows.append(params)
    return rows


def _track(session: Session, _transaction: SessionTransaction, connection: Connection) -> None:
    # Connection.info follows the pooled connection: forget what an earlier user wrote.
    connection.info.pop(_WRITTEN, None)
    session.info.setdefault(_CONNECTIONS, []).append(connection)


def _raise_generations(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the outer commit counts
    session.flush()  # pending objects are flushed after this hook otherwise
    for connection in session.info.get(_CONNECTIONS, ()):
        for table in sorted(connection.info.pop(_WRITTEN, ())):
            connection.execute(_raise(connection.dialect.name, table))


def _forget(session: Session, transaction: SessionTransaction) -> None:
    # The connections are closed by now; a note left on one is dropped by its next begin.
    if transaction.parent is None:
        session.info.pop(_CONNECTIONS, None)


def _raise(dialect: str, table: str) -> Any:
    """One statement, race-free on a table's first change: insert its row or raise it."""
    insert = (postgresql if dialect == "postgresql" else sqlite).insert
    statement = insert(DataGenerationRow).values(table_name=table, generation=1)
    return statement.on_conflict_do_update(
        index_elements=[DataGenerationRow.table_name],
        set_={"generation": DataGenerationRow.generation + 1},
    )
