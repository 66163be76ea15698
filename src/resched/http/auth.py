"""Who is asking, and may they: the dependencies every route declares.

``require(Permission.X)`` is the one way a route states what it needs; ``public("why")`` marks
the few routes anyone may call (login, refresh). tests/api/test_route_permissions.py walks
every route of the app and fails for a route that declares neither.

Credentials: ``Authorization: Bearer <access token>`` (the API), else the session cookie (the
pages; and the API when called from a page, then unsafe methods need the CSRF header too).

No ``from __future__ import annotations`` here: FastAPI reads the annotations of the
dependency classes' ``__call__`` at run time.
"""

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request

from resched.http.cookies import SESSION_COOKIE
from resched.http.csrf import SAFE_METHODS, check_csrf_header
from resched.http.database import request_factory
from resched.http.paths import is_api_path
from resched.http.runtime import get_runtime
from resched.services.audit import Actor
from resched.services.auth.errors import Unauthenticated
from resched.services.auth.sessions import principal_for_access_token, principal_for_web_session
from resched.services.permissions import (
    Permission,
    Principal,
    check_allowed,
    check_password_changed,
)

MAX_ADDRESS_LENGTH = 64  # the audit column


def current_principal(request: Request) -> Principal:
    """The signed-in user, or Unauthenticated (401 for the API, a redirect for pages)."""
    cached = getattr(request.state, "principal", None)
    if isinstance(cached, Principal):
        return cached
    runtime = get_runtime(request)
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated("use Authorization: Bearer <token>", token_rejected=True)
        principal = principal_for_access_token(
            factory=request_factory(request), policy=runtime.tokens, token=token.strip()
        )
    else:
        cookie = request.cookies.get(SESSION_COOKIE)
        if not cookie:
            raise Unauthenticated()
        principal = principal_for_web_session(factory=request_factory(request), token=cookie)
        if request.method not in SAFE_METHODS and is_api_path(request.url.path):
            # A cookie travels with requests other sites trigger; a header they cannot set.
            check_csrf_header(request)
    request.state.principal = principal
    request.state.username = principal.username
    return principal


def optional_principal(request: Request) -> Principal | None:
    """The signed-in user if any, for pages that render either way (errors, the login form)."""
    try:
        return current_principal(request)
    except (Unauthenticated, HTTPException):
        return None


@dataclass(frozen=True, slots=True)
class Require:
    """A route's declared permission; checked against the matrix for the signed-in role."""

    permission: Permission

    # async: pure checks, so FastAPI runs them on the event loop instead of handing them to a
    # worker thread and back (a round trip per request; current_principal reads the database
    # and stays a thread's work).
    async def __call__(
        self, principal: Annotated[Principal, Depends(current_principal)]
    ) -> Principal:
        check_password_changed(principal, self.permission)
        # In words for people, and the permission's id in details for API clients.
        check_allowed(principal, self.permission)
        return principal


@dataclass(frozen=True, slots=True)
class Public:
    """A route anyone may call, with the reason written down where the route is declared."""

    reason: str

    async def __call__(self) -> None:
        return None


def require(permission: Permission) -> Any:
    """``Depends`` for a permission: ``dependencies=[require(P)]`` or
    ``principal: Annotated[Principal, require(P)]``."""
    return Depends(Require(permission))


def public(reason: str) -> Any:
    return Depends(Public(reason))


def client_address(request: Request) -> str | None:
    """The client's address: the peer, or the forwarded client when the peer is a trusted
    proxy (ProxyHeadersMiddleware rewrites the peer before this is read)."""
    return request.client.host[:MAX_ADDRESS_LENGTH] if request.client else None


def request_actor(request: Request, principal: Principal | None = None) -> Actor:
    """Who acts in this request, for the audit trail."""
    if principal is None:
        found = getattr(request.state, "principal", None)
        principal = found if isinstance(found, Principal) else None
    request_id = getattr(request.state, "request_id", None)
    return Actor(
        username=principal.username if principal else None,
        request_id=request_id if isinstance(request_id, str) else None,
        client_address=client_address(request),
    )
