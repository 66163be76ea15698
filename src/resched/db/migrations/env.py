"""Alembic environment for resched: SQLite (batch mode) and PostgreSQL.

The URL comes from, in order: a connection or URL handed over by ``resched.db.migrate``
(``config.attributes``), ``sqlalchemy.url`` in the ini file, then the application settings
(``RESCHED_DATABASE_URL``, else the embedded SQLite default).
"""

from __future__ import annotations

from logging.config import fileConfig
from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Connection, create_engine, pool

import resched.db.tables  # noqa: F401 - registers every table on Base.metadata
from resched.db.base import Base
from resched.db.session import ensure_sqlite_directory, normalize_url
from resched.db.types import UTCDateTime

# Any constant works; it only has to be the same for every resched process.
MIGRATION_LOCK_KEY = 0x7265736368  # "resch"

config = context.config
target_metadata = Base.metadata
if config.config_file_name is not None:
    # Only the alembic CLI (with an ini file) configures logging; the app keeps its own.
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def database_url() -> str:
    url = config.attributes.get("url") or config.get_main_option("sqlalchemy.url")
    if url:
        return str(url)
    from resched.settings import Settings  # an edge: only the alembic CLI gets here

    return Settings().database_url


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    # Migrations must not import application types that may change later: write the plain
    # column type the decorator stores.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def configure(**kwargs: Any) -> None:
    context.configure(
        target_metadata=target_metadata,
        compare_type=True,
        render_item=render_item,
        **kwargs,
    )


def run_offline() -> None:
    url = normalize_url(database_url())
    configure(
        url=url.render_as_string(hide_password=False),
        literal_binds=True,
        render_as_batch=url.get_backend_name() == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def run_on(connection: Connection) -> None:
    # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
    configure(connection=connection, render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            # Two app processes starting together must not both run the same migration.
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})")
        context.run_migrations()


def run_online() -> None:
    given = config.attributes.get("connection")
    if given is not None:
        run_on(given)
        return
    url = normalize_url(database_url())
    ensure_sqlite_directory(url)
    # A plain engine, not create_engine_for: SQLite batch migrations rebuild tables and need
    # foreign key enforcement off (SQLite's default), and NullPool leaves no connection behind.
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            run_on(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
