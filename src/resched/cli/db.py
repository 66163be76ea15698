"""``resched db ...``: schema migrations."""

from __future__ import annotations

from typing import Annotated

import typer

from resched.cli.common import load_settings

db_app = typer.Typer(help="Database schema commands.", no_args_is_help=True)

DatabaseUrl = Annotated[
    str | None,
    typer.Option("--database-url", help="Overrides RESCHED_DATABASE_URL.", show_default=False),
]


@db_app.command("upgrade")
def upgrade_command(database_url: DatabaseUrl = None) -> None:
    """Migrate the database to the newest schema (safe to run repeatedly)."""
    from resched.db.migrate import upgrade_to_head
    from resched.logs import redact_text

    settings = load_settings(database_url)
    upgrade_to_head(settings.database_url)
    typer.echo(f"database at head: {redact_text(settings.database_url)}")
