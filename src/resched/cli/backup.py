"""``resched backup`` and ``resched restore``: the embedded SQLite database, while it serves.

PostgreSQL databases are backed up with its own tools (pg_dump/pg_restore); the commands say
so rather than shelling out to programs whose versions must match the server's.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Annotated

import typer

from resched.cli.common import database, domain_errors_exit, fail, load_settings, operator
from resched.cli.db import DatabaseUrl

logger = logging.getLogger(__name__)

Force = Annotated[bool, typer.Option("--force", help="Replace an existing file or database.")]
POSTGRES_HINT = (
    "is for the embedded SQLite database; back up PostgreSQL with "
    '`pg_dump -Fc -f resched.dump "$DATABASE_URL"` and restore with '
    '`pg_restore --clean --if-exists --no-owner -d "$DATABASE_URL" resched.dump` '
    "(docs/deployment.md, Backup and restore)"
)


def backup_command(
    output: Annotated[Path, typer.Argument(help="The backup file to write.")],
    database_url: DatabaseUrl = None,
    force: Force = False,
) -> None:
    """Copy the SQLite database to OUTPUT, consistently, while the server keeps running."""
    from resched.db.backup import backup_database

    source = _sqlite_path(database_url, "resched backup")
    with domain_errors_exit():
        summary = backup_database(source, output, overwrite=force)
    typer.echo(f"wrote {output}: {summary.describe()}; integrity ok")


def restore_command(
    backup: Annotated[Path, typer.Argument(help="A file written by `resched backup`.")],
    database_url: DatabaseUrl = None,
    force: Force = False,
) -> None:
    """Replace the SQLite database by BACKUP (stop the server and workers first)."""
    from resched.db.backup import RevisionStatus, restore_database

    target = _sqlite_path(database_url, "resched restore")
    with domain_errors_exit():
        restored = restore_database(backup, target, replace_data=force, now=dt.datetime.now(dt.UTC))
    if restored.previous is not None:
        typer.echo(f"kept the previous database as {restored.previous}")
    typer.echo(f"restored {backup} to {target}: {restored.summary.describe()}")
    if restored.status is RevisionStatus.OLDER:
        typer.echo("the backup has an older schema: run `resched db upgrade` before serving")
        logger.warning("restored %s to %s (older schema, not audited)", backup, target)
        return
    _audit(target, backup, restored.previous, restored.summary.revision or "", database_url)
    typer.echo("recorded in the restored database's audit trail as database.restore")


def _audit(
    target: Path, backup: Path, previous: Path | None, revision: str, database_url: str | None
) -> None:
    from resched.services.backups import record_restore

    with database(database_url) as factory:
        record_restore(
            factory=factory,
            actor=operator(),
            database=target.name,
            backup=str(backup),
            previous=None if previous is None else str(previous),
            revision=revision,
        )


def _sqlite_path(database_url: str | None, command: str) -> Path:
    from sqlalchemy.exc import ArgumentError

    from resched.db.session import normalize_url, sqlite_file

    configured = load_settings(database_url).database_url
    try:
        url = normalize_url(configured)
    except ArgumentError:
        raise fail("the database URL is not a valid SQLAlchemy URL") from None
    if url.get_backend_name() == "postgresql":
        raise fail(f"`{command}` {POSTGRES_HINT}")
    path = sqlite_file(url)
    if path is None:
        raise fail(f"`{command}` needs a SQLite database file, not {url.get_backend_name()!r}")
    return path
