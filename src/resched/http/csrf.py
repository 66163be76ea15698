"""CSRF protection for everything a cookie authenticates.

A synchronizer token without server storage: the token is an HMAC (with a key of its own) of
the value it is bound to - the session cookie when signed in, else a random pre-session cookie
(the login form). Forms send it as the ``csrf_token`` field, htmx and scripts as the
``X-CSRF-Token`` header. Every unsafe method of a page route is checked (``verify_csrf``, a
dependency of the web router); the API checks the header when a cookie authenticated the call.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import HTTPException, Request
from fastapi.responses import Response

from resched.http.cookies import SESSION_COOKIE
from resched.http.runtime import get_runtime

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
PRESESSION_COOKIE = "resched_csrf"
MAX_BINDING_LENGTH = 256
REFUSED = "The form has expired or did not come from this site. Reload the page and try again."


def _sign(key: bytes, binding: str) -> str:
    return hmac.new(key, binding.encode(), hashlib.sha256).hexdigest()


def _binding(request: Request) -> str | None:
    value = (
        request.cookies.get(SESSION_COOKIE)
        or request.cookies.get(PRESESSION_COOKIE)
        or getattr(request.state, "new_presession", None)
    )
    return value if isinstance(value, str) and 0 < len(value) <= MAX_BINDING_LENGTH else None


def csrf_token(request: Request) -> str:
    """The token forms on this page must send back (a template global)."""
    binding = _binding(request)
    if binding is None:
        binding = secrets.token_urlsafe(32)
        request.state.new_presession = binding  # set as a cookie by keep_presession_cookie
    # A page asks for it once per form (the header's sign-out form, the page's own): the
    # HMAC of the same binding is computed once a request.
    known = getattr(request.state, "csrf_tokens", None)
    if not isinstance(known, dict):
        known = request.state.csrf_tokens = {}
    token = known.get(binding)
    if token is None:
        token = known[binding] = _sign(get_runtime(request).csrf_key, binding)
    return str(token)


def keep_presession_cookie(request: Request, response: Response, *, secure: bool) -> None:
    """Set the pre-session cookie a page's token was bound to, when the page created it."""
    value = getattr(request.state, "new_presession", None)
    if isinstance(value, str):
        response.set_cookie(
            PRESESSION_COOKIE, value, httponly=True, secure=secure, samesite="lax", path="/"
        )


def _matches(request: Request, presented: object) -> bool:
    binding = _binding(request)
    if binding is None or not isinstance(presented, str) or not presented:
        return False
    return hmac.compare_digest(presented, _sign(get_runtime(request).csrf_key, binding))


def check_csrf_header(request: Request) -> None:
    if not _matches(request, request.headers.get(CSRF_HEADER)):
        raise HTTPException(403, REFUSED)


async def verify_csrf(request: Request) -> None:
    """Refuse an unsafe request whose token (header or form field) does not match (403)."""
    if request.method in SAFE_METHODS:
        return
    presented: object = request.headers.get(CSRF_HEADER)
    content_type = request.headers.get("content-type", "")
    if presented is None and content_type.startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        presented = (await request.form()).get(CSRF_FIELD)
    if not _matches(request, presented):
        raise HTTPException(403, REFUSED)
