"""Routing that skips a router whose paths cannot match.

FastAPI (0.165) finds a request's route by asking every route of every included router in turn,
each ask a few microseconds of scope bookkeeping: a page request walked the API's 122 routes
and the pages before its own, about 240 asks and 2-3 ms of CPU per request twice over (issue
17's load run: 12 % of the web processes' CPU). Each top-level included router is replaced by
one that first tests the request's path against the literal beginnings of its routes' paths
(the text before the first ``{``): a path none of them begins with is declined in one string
test. Everything else - matching, handling, ``url_path_for``, ``iter_route_contexts``, the
OpenAPI document - stays FastAPI's, as the guarded router is still an included router.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import FastAPI
from fastapi.routing import _IncludedRouter, iter_route_contexts
from starlette.routing import Match
from starlette.types import Scope


@dataclass
class _GuardedRouter(_IncludedRouter):
    """An included router that declines, in one test, paths outside ``beginnings``."""

    beginnings: tuple[str, ...] = ("",)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] == "http" and not _route_path(scope).startswith(self.beginnings):
            return Match.NONE, {}
        return super().matches(scope)


def guard_included_routers(app: FastAPI) -> None:
    """Replace each top-level included router of ``app`` by a guarded one; call it once the
    routes are all in (a router included later stays unguarded, which is only slower)."""
    routes = app.router.routes
    for index, route in enumerate(routes):
        if type(route) is _IncludedRouter:
            routes[index] = _GuardedRouter(
                original_router=route.original_router,
                include_context=route.include_context,
                beginnings=_beginnings(route),
            )


def _beginnings(router: _IncludedRouter) -> tuple[str, ...]:
    """The literal text each route's path starts with, without a trailing slash (Starlette
    retries a path with the slash added or removed before it answers 404)."""
    beginnings = set()
    for context in iter_route_contexts([router]):
        literal = str(context.path).split("{", 1)[0]
        beginnings.add(literal.rstrip("/"))
    return tuple(sorted(beginnings)) or ("",)


def _route_path(scope: Scope) -> str:
    # Starlette's own rule (starlette._utils.get_route_path, private): the path below the root
    # path an ASGI server was given (a proxy serving the app under a prefix).
    path: str = scope["path"]
    root_path: str = scope.get("root_path", "")
    if not root_path or not path.startswith(root_path):
        return path
    if path == root_path:
        return ""
    return path[len(root_path) :] if path[len(root_path)] == "/" else path
