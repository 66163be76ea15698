"""A database that cannot serve the request answers 503 with Retry-After, not a 500.

A restarted PostgreSQL, a killed connection, a full disk or a read-only SQLite file is a
passing condition of the service, not a bug: the client is told to try again (the JSON error
shape under ``/api``, a plain page elsewhere) and the event is logged as one warning line
without a traceback. The transaction that met the error was rolled back by the session, so
nothing of the change was kept. Any other database error is re-raised untouched and becomes the
logged 500 of resched.api.server_errors: retrying would not mend it.

The pool mends itself: the engine drops a connection found dead (and PostgreSQL engines ping a
connection before lending it, resched.db.session), so the next request gets a live one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.requests import Request
from starlette.responses import Response

from resched.api.errors import error_body
from resched.db.unavailable import is_database_unavailable
from resched.http.paths import is_api_path
from resched.logs import get_logger

RETRY_AFTER_S = 5
UNAVAILABLE_MESSAGE = "The database is unavailable; nothing was changed. Try again in a moment."
log = get_logger("resched.http")

type UnavailablePage = Callable[[Request, int], Awaitable[Response]]


async def _database_error(request: Request, exc: Exception) -> Response:
    if not is_database_unavailable(exc):
        raise exc  # a bug, not an outage: the 500 of resched.api.server_errors logs it
    original = getattr(exc, "orig", None)
    log.warning(
        "database unavailable",
        method=request.method,
        path=request.url.path,
        error=type(original or exc).__name__,
    )
    headers = {"Retry-After": str(RETRY_AFTER_S), "cache-control": "no-store"}
    page: UnavailablePage | None = getattr(request.app.state, "html_unavailable", None)
    if page is not None and not is_api_path(request.url.path):
        response = await page(request, RETRY_AFTER_S)
        response.headers.update(headers)
        return response
    body = error_body("database_unavailable", UNAVAILABLE_MESSAGE, {"retry_after": RETRY_AFTER_S})
    return JSONResponse(body, 503, headers=headers)


def install_unavailable_handler(app: FastAPI) -> None:
    # IntegrityError (a DBAPIError too) keeps its own, more specific handler (api/errors.py).
    app.add_exception_handler(DBAPIError, _database_error)
    # Every pooled connection lent out for the pool's whole timeout: too busy to serve now.
    app.add_exception_handler(PoolTimeout, _database_error)
