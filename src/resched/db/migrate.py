"""Run and inspect the Alembic migrations from code (the app at start-up, the CLI, the tests).

The migrations live in the package (``resched.db:migrations``), so this works from any
working directory and from an installed wheel; no alembic.ini is needed at run time.
"""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

SCRIPT_LOCATION = "resched.db:migrations"


def alembic_config(url: str | None = None) -> Config:
    """A Config for the packaged migrations; ``url`` goes in ``attributes`` rather than the
    ini options, where configparser would choke on a ``%`` in a password."""
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    if url is not None:
        config.attributes["url"] = url
    return config


def upgrade_to_head(url: str) -> None:
    command.upgrade(alembic_config(url), "head")


def downgrade_to(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships the first migration
        raise RuntimeError("no migrations found in " + SCRIPT_LOCATION)
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty (never migrated) database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def is_at_head(engine: Engine) -> bool:
    return current_revision(engine) == head_revision()
