"""Shared schema pieces: strict bases, constrained scalar types, the page envelope."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StrictBool,
    StrictInt,
    StringConstraints,
    WithJsonSchema,
)

from resched.db.records import Page
from resched.http.params import MAX_ID

Id = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]
Code = Annotated[
    str,
    StringConstraints(strict=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,31}$"),
]
Name = Annotated[
    str, StringConstraints(strict=True, strip_whitespace=True, min_length=1, max_length=200)
]
Label = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, max_length=200)]
Note = Annotated[str, StringConstraints(strict=True, max_length=2000)]
Credential = Annotated[str, StringConstraints(strict=True, min_length=1, max_length=40)]
Pgy = Annotated[StrictInt, Field(ge=1, le=10)]
Count = Annotated[StrictInt, Field(ge=0, le=1000)]
Weekday = Annotated[StrictInt, Field(ge=1, le=7, description="ISO weekday, 1 = Monday")]
# JSON object keys are strings: "1" to "7" as a key of a weekly pattern.
WeekdayKey = Annotated[int, Field(ge=1, le=7, description="ISO weekday, 1 = Monday")]
Flag = StrictBool
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
WALL_CLOCK = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"


def _iso_day(value: object) -> object:
    """Only ``YYYY-MM-DD`` (or a date): Pydantic's lax date would read ``0`` or ``-9e-88`` as
    seconds since 1970 and answer for a day nobody asked about."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and ISO_DAY.fullmatch(value):
        return value
    raise ValueError("expected a date YYYY-MM-DD")


def _wall_clock(value: object) -> object:
    """A local time of day, ``HH:MM`` or ``HH:MM:SS``: no offset (shifts start at the
    program's local time), no seconds-since-midnight numbers."""
    if isinstance(value, dt.time) and value.tzinfo is None:
        return value
    if isinstance(value, str) and re.fullmatch(WALL_CLOCK, value):
        return value
    raise ValueError("expected a local time HH:MM")


# A calendar day: query parameters and body fields alike.
Day = Annotated[dt.date, BeforeValidator(_iso_day)]
# JSON Schema's ``format: time`` is RFC 3339's full-time, which requires an offset: a local
# wall-clock time is declared as a string with its pattern instead.
WallClock = Annotated[
    dt.time,
    BeforeValidator(_wall_clock),
    PlainSerializer(lambda value: value.isoformat(timespec="seconds"), return_type=str),
    WithJsonSchema({"type": "string", "pattern": WALL_CLOCK, "examples": ["07:00"]}),
]


def _utc(value: dt.datetime) -> dt.datetime:
    # Stored instants come back aware (db.types.UTCDateTime); a naive one could only be UTC,
    # and must not leave the API without an offset for a client to guess at.
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


# An instant in a response: ISO 8601 in UTC, always with its offset ("Z").
Instant = Annotated[dt.datetime, AfterValidator(_utc)]


class Input(BaseModel):
    """Request bodies: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class Output(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PageOut[T](BaseModel):
    items: list[T]
    total: int
    limit: int
    offset: int

    @classmethod
    def of[S](cls, page: Page[S], convert: Callable[[S], T]) -> PageOut[T]:
        return cls(
            items=[convert(item) for item in page.items],
            total=page.total,
            limit=page.limit,
            offset=page.offset,
        )
