"""Bounds on the numbers a URL carries, shared by the API and the pages.

Ids and offsets are 32-bit in the database (SQLite and PostgreSQL alike): a larger number in
a path or a query names nothing and would overflow the driver or the SQL, so it is refused
with a 422 naming the parameter before any query runs.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

from resched.services.common import MAX_OFFSET

MAX_ID = 2**31 - 1

ItemId = Annotated[int, Path(ge=1, le=MAX_ID, description="an id: 1 to 2147483647")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="items to skip")]


def url_number(text: str | None) -> int | None:
    """A whole number typed into a URL or a form, else None. Only ASCII digits, at most ten:
    ``str.isdigit`` takes "²", which ``int`` refuses, and ``int`` refuses more than 4,300
    digits - either would end a request in a 500."""
    value = (text or "").strip()
    if not (value.isascii() and value.isdigit()) or len(value) > 10:
        return None
    return int(value)


__all__ = ["MAX_ID", "MAX_OFFSET", "ItemId", "Offset", "url_number"]
