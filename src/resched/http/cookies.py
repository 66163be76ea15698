"""The session cookie: httpOnly (no script reads it), SameSite=Lax (not sent on cross-site
POSTs), Secure over HTTPS and always in production, path ``/``, lifetime of the session."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from resched.http.runtime import get_runtime

SESSION_COOKIE = "resched_session"


def is_secure(request: Request) -> bool:
    # The scheme is the client's when a trusted proxy said so (X-Forwarded-Proto).
    return get_runtime(request).always_secure_cookies or request.url.scheme == "https"


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    lifetime = get_runtime(request).session_lifetime
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(lifetime.total_seconds()),
        httponly=True,
        secure=is_secure(request),
        samesite="lax",
        path="/",
    )


def clear_session_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(
        SESSION_COOKIE, httponly=True, secure=is_secure(request), samesite="lax", path="/"
    )
