"""Killing the app's PostgreSQL connections from outside, at a chosen statement.

``pg_terminate_backend`` is what a server restart or a failover does to every open connection;
issued only for the test database's backends it is safe on a shared server. The moment is
chosen by a ``before_cursor_execute`` listener: when the app is about to send a statement that
starts with ``prefix``, every backend of the test database is terminated (the app's own among
them) and the listener waits until the server has let them go, so the statement really goes
to a dead connection."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event, pool, text

from resched.db.session import normalize_url
from tests.waits import wait_until

TERMINATE_ALL = text(
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
)
ALIVE = text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid")


class Killer:
    def __init__(self, database_url: str) -> None:
        self.admin = create_engine(
            normalize_url(database_url), isolation_level="AUTOCOMMIT", poolclass=pool.NullPool
        )
        self.killed: list[str] = []

    def terminate_all(self, *, wait_for: int | None = None) -> None:
        """Every backend of the test database but ours; with ``wait_for``, until that one
        has gone."""
        with self.admin.connect() as connection:
            connection.execute(TERMINATE_ALL)
            if wait_for is not None:
                wait_until(
                    lambda: connection.execute(ALIVE, {"pid": wait_for}).scalar_one() == 0,
                    what=f"backend {wait_for} terminated",
                )

    @contextmanager
    def at_statement(self, engine: Engine, prefix: str) -> Iterator[list[str]]:
        """Kill the connections once, when ``engine`` is about to run a statement starting
        with ``prefix`` (case-insensitive); yields the statements that were hit."""

        def kill(connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
            if self.killed or not statement.lstrip().upper().startswith(prefix.upper()):
                return
            self.killed.append(statement)
            pid = connection.connection.dbapi_connection.info.backend_pid
            self.terminate_all(wait_for=pid)

        event.listen(engine, "before_cursor_execute", kill)
        try:
            yield self.killed
        finally:
            event.remove(engine, "before_cursor_execute", kill)
            self.killed = []

    def close(self) -> None:
        self.admin.dispose()
