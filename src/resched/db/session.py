"""Engines, sessions and the one transaction helper every service uses."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker

from resched.db.generation import count_changes

SQLITE_BUSY_TIMEOUT_MS = 5000
OWNER_ONLY_DIRECTORY = 0o700
OWNER_ONLY_FILE = 0o600
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")
_POSTGRES_NAMES = frozenset({"postgres", "postgresql", "postgresql+psycopg2", "postgresql+psycopg"})


def normalize_url(url: str | URL) -> URL:
    """Parse ``url``; PostgreSQL URLs always use psycopg 3, the one driver we ship.

    ``postgresql://`` would otherwise select psycopg2 (not installed), and ``postgres://`` is
    what several hosting platforms hand out.
    """
    parsed = make_url(url)
    if parsed.drivername in _POSTGRES_NAMES:
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def sqlite_file(url: URL) -> Path | None:
    """The database file of a SQLite URL, or None (not SQLite, or in memory)."""
    if url.get_backend_name() != "sqlite":
        return None
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    return Path(database)


def ensure_sqlite_directory(url: URL) -> None:
    """The directory and the file of a SQLite database, readable by their owner only.

    SQLite creates the file (world-readable under the usual umask) but not its directory (the
    default is ``var/resched.db``). The database holds accounts and absences: a new directory
    is made 0700 and the file 0600; SQLite gives its -wal and -shm files the mode of the
    database file. A file left readable by others (an older install) is tightened."""
    path = sqlite_file(url)
    if path is None:
        return
    path.parent.mkdir(mode=OWNER_ONLY_DIRECTORY, parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, OWNER_ONLY_FILE))
    for companion in (path, *(path.with_name(path.name + s) for s in SQLITE_COMPANIONS)):
        if companion.exists() and companion.stat().st_mode & 0o077:
            # Another owner's file: theirs to tighten (SQLite reports the access problem).
            with contextlib.suppress(PermissionError):
                companion.chmod(OWNER_ONLY_FILE)


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        # SQLite leaves foreign keys off unless asked, per connection.
        cursor.execute("PRAGMA foreign_keys=ON")
        # WAL lets readers proceed while the worker writes; the busy timeout makes a writer
        # wait for the lock instead of failing at once with "database is locked".
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def create_engine_for(url: str) -> Engine:
    """An engine for a SQLite file or a PostgreSQL server, configured for resched.

    ``hide_parameters``: a database error's message (logged with its traceback) shows the
    statement but not the values bound to it, which can be password hashes or tokens' digests."""
    parsed = normalize_url(url)
    if parsed.get_backend_name() == "sqlite":
        ensure_sqlite_directory(parsed)
        engine = create_engine(parsed, hide_parameters=True)
        event.listen(engine, "connect", _configure_sqlite_connection)
        return engine
    return create_engine(parsed, pool_pre_ping=True, hide_parameters=True)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    # expire_on_commit=False: services return core objects built inside the transaction, but
    # a caller touching a row after commit must not trigger a surprise lazy load.
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    count_changes(factory)  # the data generations (resched.db.generation)
    return factory


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session in one transaction: committed if the block succeeds, rolled back if it raises."""
    with factory() as session, session.begin():
        yield session
