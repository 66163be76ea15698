"""The last guard around every request: an exception nothing handled becomes a 500 in the one
error shape (an HTML page outside ``/api``), logged once with its request id.

Starlette's own 500 is sent by its outermost middleware, outside ours: it carried neither the
security headers nor the request id. This middleware sits inside them all (added first in
resched.main), so its answer gets both, and ``no-store``. The traceback is rendered plain,
without local values (resched.logs), on a worker thread rather than the event loop; the exception
is re-raised afterwards, marked as logged, so test clients still fail loudly and the server does
not log it a second time.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from functools import partial

from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Message, Receive, Scope, Send

from resched.api.errors import error_body
from resched.http.asgi import HttpMiddleware
from resched.http.paths import is_api_path
from resched.logs import LOGGED_MARK, get_logger

log = get_logger("resched.http")

type ServerErrorPage = Callable[[Request, str], Awaitable[Response]]


def server_error_message(request_id: str) -> str:
    return (
        "Something went wrong on our side; the request was not completed. "
        f"If it happens again, report request id {request_id}."
    )


class ServerErrorMiddleware(HttpMiddleware):
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            # Rendering and writing the traceback happens on a worker thread: a slow or full
            # log stream holds up this one request, never the event loop serving the others.
            await run_in_threadpool(
                partial(log.error, "unhandled error", exc_info=exc),
                method=scope.get("method"),
                path=scope.get("path"),
            )
            with contextlib.suppress(AttributeError):  # an exception type without a __dict__
                setattr(exc, LOGGED_MARK, True)
            if not started:
                response = await _error_response(Request(scope, receive))
                await response(scope, receive, send)
            raise


async def _error_response(request: Request) -> Response:
    request_id = str(request.scope.get("state", {}).get("request_id", "-"))
    page: ServerErrorPage | None = getattr(request.app.state, "html_server_error", None)
    if page is not None and not is_api_path(request.url.path):
        try:
            response = await page(request, request_id)
        except Exception:  # the page itself failed: fall back to the JSON shape
            log.warning("error page failed", exc_info=True)
        else:
            response.headers["cache-control"] = "no-store"
            return response
    message = server_error_message(request_id)
    body = error_body("internal_error", message, {"request_id": request_id})
    return JSONResponse(body, 500, headers={"cache-control": "no-store"})
