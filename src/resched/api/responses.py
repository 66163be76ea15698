"""The error status codes each API route documents, in one place.

Codes the framework itself produces follow from how a route is declared, so they are derived
here rather than repeated in every router: a request body can be unreadable (400), too large
(413) or invalid (422); parameters can be invalid (422); a path with an id can name nothing
(404); a route behind ``require`` needs a signed-in user (401) with the permission (403); an
audited write (one that takes the acting user, ``ActorDep``) can conflict with the stored data
(409: the services' Conflict and the database's integrity safety net); a route that reads the
database, or signs its caller in, answers 503 while the database is unavailable. Codes only a
service knows about (a 404 for an unknown year named in a body, 429 from the sign-in limiter) are
declared on the route itself with ``error_responses``.
"""

from __future__ import annotations

from collections.abc import Iterator
from http import HTTPStatus
from typing import Any

from fastapi import APIRouter
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from resched.api.deps import get_actor
from resched.api.schemas.errors import ErrorOut
from resched.http.auth import Require, current_principal
from resched.http.database import request_factory

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
DESCRIPTIONS = {
    400: "The body could not be read (not UTF-8 JSON).",
    401: "Not signed in, or the token was rejected (see WWW-Authenticate).",
    403: "Signed in, but the role does not allow this.",
    404: "Nothing with that id (or not visible to you).",
    409: "Conflicts with the stored data (a duplicate code, still in use, already ended).",
    413: "The body is larger than the server accepts.",
    422: "Invalid request: the details name each field.",
    429: "Too many attempts: wait for the seconds in Retry-After.",
    503: "The database is unavailable; nothing was changed: retry after Retry-After seconds.",
}

type Responses = dict[int | str, dict[str, Any]]


def error_responses(*codes: int) -> Responses:
    """``responses=`` entries for these codes, all with the one error shape."""
    return {
        code: {"model": ErrorOut, "description": DESCRIPTIONS.get(code, HTTPStatus(code).phrase)}
        for code in codes
    }


def document_error_responses(router: APIRouter) -> None:
    """Add the derived error codes to every route of ``router`` (before it is included in the
    app, which copies the routes); codes a route declared itself are kept as they are."""
    for route in router.routes:
        if isinstance(route, APIRoute):
            derived = error_responses(*sorted(_derived_codes(route)))
            route.responses = {**derived, **route.responses}


def _derived_codes(route: APIRoute) -> set[int]:
    # The route's own parameters and those of its dependencies (the page's limit/offset).
    dependants = [route.dependant, *_walk(route.dependant)]
    codes: set[int] = set()
    if "requestBody" in (route.openapi_extra or {}) or any(d.body_params for d in dependants):
        codes |= {400, 413, 422}
    if any(d.path_params for d in dependants):
        codes |= {404, 422}
    if any(d.query_params or d.header_params for d in dependants):
        codes.add(422)
    if any(isinstance(d.call, Require) for d in dependants):
        codes |= {401, 403}
    elif any(d.call is current_principal for d in dependants):
        codes.add(401)
    if (route.methods or set()) & WRITE_METHODS and any(d.call is get_actor for d in dependants):
        codes.add(409)
    if any(_uses_database(d) for d in dependants):
        codes.add(503)  # resched.api.unavailable: the database restarted, refused, or is full
    return codes


def _uses_database(dependant: Dependant) -> bool:
    # Signing in reads the session or token's account; the factory serves the route itself.
    return (
        dependant.call is request_factory
        or dependant.call is current_principal
        or (isinstance(dependant.call, Require))
    )


def _walk(dependant: Dependant) -> Iterator[Dependant]:
    for sub in dependant.dependencies:
        yield sub
        yield from _walk(sub)
