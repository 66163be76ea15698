"""The request's "now": the wall clock, unless the app was given another (``app.state.clock``,
as the tests give one) - so the program's today and the freeze horizon follow it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from starlette.requests import Request


def request_now(request: Request) -> dt.datetime:
    clock: Callable[[], dt.datetime] | None = getattr(request.app.state, "clock", None)
    return clock() if clock is not None else dt.datetime.now(dt.UTC)
