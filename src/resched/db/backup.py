"""Backing up and restoring the embedded SQLite database (PostgreSQL has pg_dump/pg_restore,
docs/deployment.md "Backup and restore").

Both write a temporary file beside the target and rename it onto the target, so the target is
either the old file or the complete, checked new one; a restore first keeps the database it
replaces as ``<name>.before-restore-<UTC time>``, so nothing is ever lost.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from alembic.script import ScriptDirectory
from alembic.util import CommandError

from resched.core.errors import Conflict, Invalid
from resched.db.migrate import alembic_config, head_revision
from resched.db.session import SQLITE_COMPANIONS
from resched.db.sqlite_files import (
    DatabaseSummary,
    check_integrity,
    copy_database,
    holds_data,
    is_sqlite_file,
    open_read_only,
    summarize,
    temporary_file_beside,
)


class RevisionStatus(StrEnum):
    CURRENT = "current"  # the newest migration of this code
    OLDER = "older"  # a migration of this code before the newest: `resched db upgrade` needed


@dataclass(frozen=True, slots=True)
class Restored:
    summary: DatabaseSummary  # of the database now in place
    status: RevisionStatus
    previous: Path | None  # where the replaced database was kept, if there was one


def backup_database(source: Path, output: Path, *, overwrite: bool) -> DatabaseSummary:
    """A checked, consistent copy of the database ``source`` at ``output``."""
    if not source.is_file():
        raise Invalid(f"there is no database at {source}")
    if not is_sqlite_file(source):
        raise Invalid(f"{source} is not a SQLite database file")
    if output.resolve() == source.resolve():
        raise Invalid(f"{output} is the database itself; name another file")
    if output.exists() and not overwrite:
        raise Conflict(f"{output} exists; pass --force to overwrite it")
    if output.is_dir():
        raise Invalid(f"{output} is a directory; name the backup file")
    if not output.parent.is_dir():
        raise Invalid(f"the directory {output.parent} does not exist")
    with temporary_file_beside(output, "backup-tmp") as temporary:
        try:
            with closing(open_read_only(source)) as connection:
                copy_database(connection, temporary)
        except sqlite3.DatabaseError as exc:
            raise Invalid(f"the database {source} cannot be read ({exc})") from None
        check_integrity(temporary)
        os.replace(temporary, output)
    return summarize(output)


def inspect_backup(backup: Path) -> tuple[DatabaseSummary, RevisionStatus]:
    """Raises ``Invalid`` unless ``backup`` is an intact database of this app that this code
    can run (its revision is this code's newest migration or an older one)."""
    check_integrity(backup)
    summary = summarize(backup)
    if summary.revision is None:
        raise Invalid(f"{backup} is not a resched database (it has no alembic_version table)")
    if summary.revision == head_revision():
        return summary, RevisionStatus.CURRENT
    if not _is_known_revision(summary.revision):
        raise Invalid(
            f"{backup} is at schema revision {summary.revision}, which this version of resched "
            f"does not know (newest known: {head_revision()}); it was made by a newer version: "
            "upgrade resched before restoring it"
        )
    return summary, RevisionStatus.OLDER


def restore_database(
    backup: Path, target: Path, *, replace_data: bool, now: dt.datetime
) -> Restored:
    """Put the database ``backup`` in place of ``target``; the server and workers must be
    stopped (they hold the old file open)."""
    _, status = inspect_backup(backup)
    if backup.resolve() == target.resolve():
        raise Invalid(f"{backup} is the database itself; restore from a copy")
    if holds_data(target) and not replace_data:
        raise Conflict(f"the database {target} holds data; pass --force to replace it")
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with temporary_file_beside(target, "restore-tmp") as temporary:
        with closing(open_read_only(backup)) as connection:
            copy_database(connection, temporary)
        check_integrity(temporary)
        previous = _keep_previous(target, now) if target.exists() else None
        for companion in SQLITE_COMPANIONS:
            # The old database's -wal would be replayed onto the new file and corrupt it; its
            # content is in the copy kept above.
            target.with_name(target.name + companion).unlink(missing_ok=True)
        os.replace(temporary, target)
    return Restored(summarize(target), status, previous)


def _keep_previous(target: Path, now: dt.datetime) -> Path:
    stamp = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    kept = target.with_name(f"{target.name}.before-restore-{stamp}")
    n = 1
    while kept.exists():  # two restores within one second
        kept = target.with_name(f"{target.name}.before-restore-{stamp}-{n}")
        n += 1
    with temporary_file_beside(kept, "keep-tmp") as temporary:
        try:
            with closing(open_read_only(target)) as connection:
                copy_database(connection, temporary)
        except sqlite3.DatabaseError:
            # Not a database SQLite can read (--force was given): keep its bytes as they are.
            temporary.write_bytes(target.read_bytes())
        os.replace(temporary, kept)
    return kept


def _is_known_revision(revision: str) -> bool:
    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except CommandError:
        return False
