"""A body-size cap for every route, as a plain ASGI middleware.

Routes that take interchange documents (api/documents.py) allow 20 MB; file uploads (the
import routes, ``path_limits``) 10 MB and their multipart framing; every other route allows
``RESCHED_MAX_BODY_BYTES`` (1 MiB). A declared Content-Length over the cap is refused
before anything is read; a chunked body, or one longer than it declared, is counted while it
is read and refused as soon as it passes the cap. Either way the answer is 413 in the one
error shape (an HTML page outside ``/api``), and the body is never read past the cap.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from resched.api.errors import http_error_response
from resched.http.asgi import HttpMiddleware

MAX_LENGTH_DIGITS = 15


class BodyTooLarge(HTTPException):
    def __init__(self, message: str) -> None:
        super().__init__(413, message)


def too_large_message(limit: int) -> str:
    return f"The request body is too large: the limit is {limit} bytes."


class BodyLimitMiddleware(HttpMiddleware):
    def __init__(
        self,
        app: ASGIApp,
        *,
        default_bytes: int,
        document_bytes: int,
        document_message: str,
        document_paths: Collection[str],
        path_limits: Mapping[str, tuple[int, str]] | None = None,
    ) -> None:
        super().__init__(app)
        self.default_bytes = default_bytes
        self.document_bytes = document_bytes
        self.document_message = document_message
        self.document_paths = frozenset(document_paths)
        # Path -> (cap, message) for routes with a cap of their own (uploads).
        self.path_limits = dict(path_limits or {})

    def _limit_for(self, scope: Scope) -> tuple[int, str]:
        own = self.path_limits.get(_route_path(scope))
        if own is not None:
            return own
        if _route_path(scope) in self.document_paths:
            return self.document_bytes, self.document_message
        return self.default_bytes, too_large_message(self.default_bytes)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit, message = self._limit_for(scope)
        declared = _declared_length(scope)
        if declared is not None and declared > limit:
            await _refuse(scope, receive, send, BodyTooLarge(message))
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            incoming = await receive()
            if incoming["type"] == "http.request":
                received += len(incoming.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(message)
            return incoming

        async def tracking_send(outgoing: Message) -> None:
            nonlocal started
            started = started or outgoing["type"] == "http.response.start"
            await send(outgoing)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge as exc:
            # Routes answer it through the error handlers; this is for a reader that let
            # the exception through.
            if started:
                raise
            await _refuse(scope, receive, send, exc)


def _route_path(scope: Scope) -> str:
    """The path the routes see: without the prefix the app is mounted under (root_path)."""
    path: str = scope.get("path", "")
    root: str = scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            if not text.isdigit():
                return None  # the server refuses a malformed length itself
            # More digits than any real body has: over every cap, without parsing a huge number.
            return int(text) if len(text) <= MAX_LENGTH_DIGITS else 10**MAX_LENGTH_DIGITS
    return None


async def _refuse(scope: Scope, receive: Receive, send: Send, exc: BodyTooLarge) -> None:
    response = await http_error_response(Request(scope, receive), exc)
    response.headers["connection"] = "close"  # the rest of the body is not read
    await response(scope, receive, send)
