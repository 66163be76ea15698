"""Every row of every table of the app's schema: what a backup and its restore must agree on."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from resched.db.base import Base
from resched.db.session import create_engine_for

type TableRows = dict[str, list[tuple[Any, ...]]]


def rows_of_every_table(url: str) -> TableRows:
    """Each table of the SQLAlchemy metadata, its rows in primary-key order."""
    engine = create_engine_for(url)
    try:
        with engine.connect() as connection:
            return {
                table.name: [
                    tuple(row)
                    for row in connection.execute(select(table).order_by(*table.primary_key))
                ]
                for table in Base.metadata.sorted_tables
            }
    finally:
        engine.dispose()
