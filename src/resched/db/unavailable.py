"""Whether a database error means "the database cannot serve us right now" rather than a bug.

The web app answers such an error with a 503 and Retry-After (resched.api.unavailable); every
other database error stays a 500, logged with its traceback, because it is a mistake in our
code or schema that retrying will not mend. The line is drawn on what the server or the file
says, read the same way on PostgreSQL (SQLSTATE classes) and SQLite (its result codes). A
request that waited its pool's whole timeout for a connection is the same kind of condition.
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

# PostgreSQL SQLSTATE classes and codes of a server that is going away, refusing connections,
# out of resources or read-only (a standby); the connection errors of class 08 come first.
_PG_UNAVAILABLE_CLASSES = ("08", "53")  # connection exception, insufficient resources
_PG_UNAVAILABLE_CODES = frozenset(
    {
        "57P01",  # admin_shutdown: pg_terminate_backend, a restart
        "57P02",  # crash_shutdown
        "57P03",  # cannot_connect_now: starting up or shutting down
        "25006",  # read_only_sql_transaction: a standby took the writes
    }
)
# SQLite result codes of a file that cannot be written or read right now (disk full, read-only
# file or directory, I/O error, a lock held past the busy timeout).
_SQLITE_UNAVAILABLE = frozenset(
    {
        "SQLITE_FULL",
        "SQLITE_READONLY",
        "SQLITE_IOERR",
        "SQLITE_CANTOPEN",
        "SQLITE_BUSY",
        "SQLITE_LOCKED",
    }
)


def is_database_unavailable(exc: BaseException) -> bool:
    """True for a lost or refused connection, a server shutting down, a full disk or a
    read-only database, every pooled connection lent out past the pool's timeout; False for
    everything else (a bad statement, a missing table, ...)."""
    if isinstance(exc, PoolTimeout):
        return True  # busy, not broken: the requests holding connections will give them back
    if not isinstance(exc, DBAPIError):
        return False
    if exc.connection_invalidated:
        return True  # SQLAlchemy recognised a dropped connection and discarded it
    original = exc.orig
    sqlite_name = getattr(original, "sqlite_errorname", None)
    if sqlite_name is not None:
        return _sqlite_base_name(str(sqlite_name)) in _SQLITE_UNAVAILABLE
    if type(original).__module__.split(".")[0] == "psycopg":
        sqlstate = getattr(original, "sqlstate", None)
        if sqlstate is None:
            # psycopg raises OperationalError without a SQLSTATE when no server answered at
            # all: refused, unreachable, or the connection closed under the statement.
            return type(original).__name__ == "OperationalError"
        return sqlstate in _PG_UNAVAILABLE_CODES or sqlstate[:2] in _PG_UNAVAILABLE_CLASSES
    return False


def _sqlite_base_name(name: str) -> str:
    """``SQLITE_IOERR_WRITE`` -> ``SQLITE_IOERR``: extended codes name their primary first."""
    parts = name.split("_")
    return "_".join(parts[:2])
