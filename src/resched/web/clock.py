"""The time a page is rendered at: the wall clock, unless the app was given another
(``app.state.clock``: tests fix it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from fastapi import Request

Clock = Callable[[], dt.datetime]


def now_of(request: Request) -> dt.datetime:
    clock: Clock | None = getattr(request.app.state, "clock", None)
    return clock() if clock is not None else dt.datetime.now(dt.UTC)
