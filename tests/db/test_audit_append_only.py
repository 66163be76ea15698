"""The audit trail is append-only: the code offers no way to change or remove an event, and
the database refuses UPDATE and DELETE on it (triggers from the accounts migration)."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

import resched
from resched.db.repositories.audit import AuditRepository
from resched.db.tables import AuditEventRow
from resched.services.audit import list_audit_events, record
from resched.services.common import write
from tests.conftest import is_postgres

pytestmark = pytest.mark.db

SOURCE = Path(resched.__file__).parent
# Any statement form that could rewrite or remove audit rows, wherever it appears.
FORBIDDEN = [
    re.compile(r"(update|delete)\(\s*AuditEventRow", re.IGNORECASE),
    re.compile(r"(UPDATE|DELETE\s+FROM|TRUNCATE(\s+TABLE)?)\s+\"?audit_event\b", re.IGNORECASE),
    re.compile(r"AuditEventRow\.__table__\.(update|delete)"),
]


def _record_one(factory: sessionmaker[Session]) -> None:
    with write(factory) as session:
        record(session, actor="chief", action="test.event", entity="thing", entity_id=1)


def test_no_code_updates_or_deletes_audit_events() -> None:
    offenders = []
    for path in SOURCE.rglob("*.py"):
        if "migrations" in path.parts:
            continue  # the migration creates the triggers whose messages name the table
        source = path.read_text("utf-8")
        for pattern in FORBIDDEN:
            offenders += [
                f"{path.relative_to(SOURCE)}: {m.group(0)}" for m in pattern.finditer(source)
            ]
        if "AuditEventRow" in source:
            # Loading audit rows into a session and deleting or editing them.
            assert not re.search(r"session\.delete\(", source), path
    assert offenders == []


def test_the_repository_offers_only_add_and_reads() -> None:
    public = {name for name, _ in inspect.getmembers(AuditRepository) if not name.startswith("_")}
    assert public == {"add", "list_page", "search", "of_entities"}


@pytest.mark.parametrize(
    "statement",
    [
        update(AuditEventRow).values(actor="someone-else"),
        delete(AuditEventRow),
        text("UPDATE audit_event SET reason = 'edited'"),
        text("DELETE FROM audit_event"),
    ],
    ids=["orm update", "orm delete", "sql update", "sql delete"],
)
def test_the_database_refuses_changes_to_audit_events(
    session_factory: sessionmaker[Session], engine: Engine, statement: object
) -> None:
    _record_one(session_factory)
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
        connection.execute(statement)  # type: ignore[call-overload]
    events = list_audit_events(factory=session_factory).items
    assert [(e.actor, e.reason) for e in events] == [("chief", None)]


def test_the_triggers_are_installed_and_truncate_is_refused_too(
    session_factory: sessionmaker[Session], engine: Engine, database_url: str
) -> None:
    _record_one(session_factory)
    with engine.connect() as connection:
        if is_postgres(database_url):
            names = connection.execute(
                text(
                    "SELECT tgname FROM pg_trigger "
                    "WHERE tgrelid = 'audit_event'::regclass AND NOT tgisinternal"
                )
            ).scalars()
            assert set(names) == {"audit_event_no_change", "audit_event_no_truncate"}
            with pytest.raises(DBAPIError, match="append-only"):
                connection.execute(text("TRUNCATE audit_event"))
        else:
            # SQLite has no TRUNCATE (its DELETE without WHERE is refused above).
            names = connection.execute(
                text("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            ).scalars()
            assert set(names) == {"audit_event_no_update", "audit_event_no_delete"}
    assert list_audit_events(factory=session_factory).total == 1
