"""SQLite database files as files: consistent copies, checks, and what a file holds.

A copy goes through SQLite's online backup API in one step, that is inside one read
transaction: in WAL mode the server and the workers keep writing meanwhile, and the copy is
the database as of one commit (their WAL content included, which a plain file copy misses).
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from resched.core.errors import Invalid

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_SECONDS = 5.0
# The tables an operator recognises a database by; each counted when the file has it.
KEY_TABLES = (
    "program",
    "academic_year",
    "person",
    "app_user",
    "schedule_version",
    "shift_assignment",
    "absence",
    "audit_event",
)


@dataclass(frozen=True, slots=True)
class DatabaseSummary:
    """What a database file holds, as the backup and restore commands report it."""

    path: Path
    size_bytes: int
    revision: str | None  # the Alembic revision; None when the file has no alembic_version
    counts: dict[str, int]

    def describe(self) -> str:
        counts = ", ".join(f"{table} {n}" for table, n in self.counts.items())
        return f"{self.size_bytes} bytes, revision {self.revision or 'none'}" + (
            f"; rows: {counts}" if counts else ""
        )


def open_read_only(path: Path) -> sqlite3.Connection:
    """A connection that can neither create ``path`` nor change it."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_SECONDS)


def is_sqlite_file(path: Path) -> bool:
    with path.open("rb") as file:
        return file.read(len(SQLITE_HEADER)) == SQLITE_HEADER


def copy_database(source: sqlite3.Connection, destination: Path) -> None:
    """The whole of ``source`` into ``destination`` (overwritten), as one self-contained file."""
    with closing(sqlite3.connect(destination, timeout=BUSY_TIMEOUT_SECONDS)) as target:
        # pages=-1 (the default): one step, so one snapshot; stepping would restart the copy
        # after every write another connection makes.
        source.backup(target)
        # The copy keeps the source's WAL mode; a backup file should stand alone, no -wal.
        target.execute("PRAGMA journal_mode=DELETE").fetchall()
    with destination.open("rb") as file:
        os.fsync(file.fileno())


def check_integrity(path: Path) -> None:
    """Raises ``Invalid`` unless ``path`` is a SQLite database that passes integrity_check."""
    if not path.exists():
        raise Invalid(f"there is no file at {path}")
    if not path.is_file() or not is_sqlite_file(path):
        raise Invalid(f"{path} is not a SQLite database file")
    try:
        with closing(open_read_only(path)) as connection:
            problems = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        raise Invalid(f"{path} is not a readable SQLite database ({exc})") from None
    if problems != ["ok"]:
        raise Invalid(f"{path} fails SQLite's integrity check: {'; '.join(problems[:5])}")


def summarize(path: Path) -> DatabaseSummary:
    with closing(open_read_only(path)) as connection:
        tables = _table_names(connection)
        revision = None
        if "alembic_version" in tables:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = None if row is None else str(row[0])
        counts = {
            table: int(connection.execute(_count_rows(table)).fetchone()[0])
            for table in KEY_TABLES
            if table in tables
        }
    return DatabaseSummary(path, path.stat().st_size, revision, counts)


def holds_data(path: Path) -> bool:
    """Whether any table of ``path`` (Alembic's own aside) has a row; a file SQLite cannot read
    counts as holding data, since nobody can tell."""
    if not path.exists() or path.stat().st_size == 0:
        return False
    try:
        with closing(open_read_only(path)) as connection:
            return any(
                connection.execute(_first_row(table)).fetchone() is not None
                for table in _table_names(connection) - {"alembic_version"}
            )
    except sqlite3.DatabaseError:
        return True


# Table names come from the file's own sqlite_master (a file we are asked to trust is not
# trusted yet): quoted as identifiers, with any double quote doubled.
def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _count_rows(table: str) -> str:
    return "SELECT count(*) FROM " + _identifier(table)  # noqa: S608 - quoted identifier


def _first_row(table: str) -> str:
    return "SELECT 1 FROM " + _identifier(table) + " LIMIT 1"  # noqa: S608 - quoted identifier


def _table_names(connection: sqlite3.Connection) -> set[str]:
    rows = connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return {str(row[0]) for row in rows}


@contextmanager
def temporary_file_beside(target: Path, purpose: str) -> Iterator[Path]:
    """An empty file, owner-only, in ``target``'s directory (so ``os.replace`` onto ``target``
    is atomic); removed on exit unless it was moved away."""
    # mkstemp makes the file 0600: a backup holds accounts and absences.
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=f".{purpose}", dir=target.parent)
    os.close(fd)
    temporary = Path(name)
    try:
        yield temporary
    finally:
        temporary.unlink(missing_ok=True)
