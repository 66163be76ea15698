"""Shared schema pieces: strict bases, constrained scalar types, the page envelope."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StringConstraints

from resched.db.records import Page

MAX_ID = 2**31 - 1  # ids are 32-bit integers in the database

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
Weekday = Annotated[int, Field(ge=1, le=7, description="ISO weekday, 1 = Monday")]
Flag = StrictBool


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
