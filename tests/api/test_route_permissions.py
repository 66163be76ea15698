"""Every route of the real app declares what it needs: a permission (``require``) or, for the
few listed here, that it is public (``public``). A new route without one fails this test.
Every unsafe page route is also CSRF-checked."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.routing import Mount, Route

from resched.http.auth import Public, Require
from resched.http.csrf import verify_csrf
from resched.http.paths import is_api_path
from resched.services.permissions import Permission

PUBLIC_ROUTES = {
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/refresh"),
    ("GET", "/login"),
    ("POST", "/login"),
    ("GET", "/calendar/{token}.ics"),  # the secret feed token is the key
}
# Added by FastAPI itself, not by an APIRoute: the OpenAPI schema and its docs page.
FRAMEWORK_ROUTES = {"/api/openapi.json", "/api/docs"}
MOUNTS = {"/static"}
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass(frozen=True)
class Served:
    """A route as the app serves it: full path, methods, and every dependency that runs
    (the route's own and those its routers were included with)."""

    path: str
    methods: frozenset[str]
    dependant: Dependant


def _api_routes(app: FastAPI) -> list[Served]:
    """Every APIRoute, with included routers flattened (FastAPI includes them lazily, so
    ``app.routes`` alone holds router objects, not routes)."""
    served = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, Mount):
            assert route.path in MOUNTS, route.path
        elif isinstance(route, APIRoute):
            served.append(Served(context.path, frozenset(context.methods), context.dependant))
        else:
            assert isinstance(route, Route), route
            assert route.path in FRAMEWORK_ROUTES, route.path
    return served


def _calls(dependant: Dependant) -> Iterator[object]:
    for sub in dependant.dependencies:
        if sub.call is not None:
            yield sub.call
        yield from _calls(sub)


def _declared(route: Served) -> tuple[set[Permission], set[str]]:
    calls = list(_calls(route.dependant))
    permissions = {call.permission for call in calls if isinstance(call, Require)}
    reasons = {call.reason for call in calls if isinstance(call, Public)}
    return permissions, reasons


def test_every_route_declares_a_permission_or_is_listed_as_public(app: FastAPI) -> None:
    undeclared, public = [], set()
    routes = _api_routes(app)
    for route in routes:
        permissions, reasons = _declared(route)
        for method in route.methods:
            if reasons:
                assert all(reason.strip() for reason in reasons)
                assert not permissions, (method, route.path)
                public.add((method, route.path))
            elif not permissions:
                undeclared.append(f"{method} {route.path}")
    assert undeclared == [], "routes without a declared permission"
    assert public == PUBLIC_ROUTES
    assert len(routes) >= 40  # the walk really saw the app's routes
    assert {r.path for r in routes} >= {
        "/api/v1/people",
        "/program",
        "/admin/users",
        "/people",
        "/absences",
        "/program/generation",
        "/today",
    }


def test_every_route_declares_exactly_one_permission(app: FastAPI) -> None:
    for route in _api_routes(app):
        if not _declared(route)[1]:
            assert len(_declared(route)[0]) == 1, route.path


def test_every_unsafe_page_route_checks_the_csrf_token(app: FastAPI) -> None:
    checked = 0
    for route in _api_routes(app):
        if is_api_path(route.path):
            continue
        if route.methods & UNSAFE:
            assert verify_csrf in list(_calls(route.dependant)), route.path
            checked += 1
    assert checked >= 6  # login, logout, password, and the three user-admin forms


def test_the_openapi_schema_lists_no_undeclared_route(app: FastAPI) -> None:
    # The docs are public, so they must not reveal a route the test above did not see.
    paths = set(app.openapi()["paths"])
    routed = {r.path for r in _api_routes(app)}
    assert paths
    assert paths <= routed


CATALOG_PAGES = ("/program/shift-types", "/program/rotations", "/program/coverage")


def test_catalog_pages_list_for_readers_and_change_for_writers(app: FastAPI) -> None:
    """The lists are the program's (PROGRAM_READ); the forms and every change PROGRAM_WRITE."""
    seen = 0
    for route in _api_routes(app):
        if not route.path.startswith(CATALOG_PAGES):
            continue
        seen += 1
        (permission,) = _declared(route)[0]
        listing = route.path in CATALOG_PAGES and route.methods == {"GET"}
        expected = Permission.PROGRAM_READ if listing else Permission.PROGRAM_WRITE
        assert permission is expected, (route.methods, route.path)
    assert seen == 3 * 6 + 1  # list, new, create, edit, update, delete of each; the preview
