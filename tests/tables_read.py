"""The tables a run of code reads, from the SQL it sends: for the tests that hold a cached read
model to the tables its key covers (resched.db.generation)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, event

_NAMED = re.compile(r'\b(?:from|join)\s+("?)([a-z_][a-z0-9_]*)\1', re.IGNORECASE)


@contextmanager
def tables_read(engine: Engine) -> Iterator[set[str]]:
    """The names after FROM and JOIN in every statement sent inside the block."""
    found: set[str] = set()

    def seen(*args: object) -> None:
        found.update(name.lower() for _, name in _NAMED.findall(str(args[2])))

    event.listen(engine, "before_cursor_execute", seen)
    try:
        yield found
    finally:
        event.remove(engine, "before_cursor_execute", seen)
