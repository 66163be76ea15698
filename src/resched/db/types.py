"""Column types shared by the table modules."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, DateTime, Dialect, Enum
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[dt.datetime]):
    """An instant, always UTC-aware in Python.

    SQLite has no time zone type and hands back naive values; PostgreSQL returns aware values
    in the session time zone. Normalising both to UTC here means the rest of the code never
    sees a naive instant, and refusing naive input stops local times sneaking in as instants.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for an instant column; pass a UTC-aware value")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def str_enum(enum_cls: type[StrEnum], name: str) -> Enum:
    """A portable enum column: VARCHAR plus a named CHECK constraint, storing the values.

    Native PostgreSQL enums need an ALTER TYPE migration for every new member; a CHECK
    constraint is the same on both databases and is altered like any other constraint.
    """
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,  # fixed, so a longer new member needs no column change
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


def json_type() -> JSON:
    """Plain JSON (not JSONB): the values are read whole and never queried into."""
    return JSON()


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
