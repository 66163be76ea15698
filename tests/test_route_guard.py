"""The route guard (resched.http.route_guard): a router declines paths its routes cannot match
in one test, and nothing else about routing changes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import _IncludedRouter, iter_route_contexts
from fastapi.testclient import TestClient
from starlette.routing import BaseRoute, Match

from resched.http.route_guard import _GuardedRouter, guard_included_routers
from tests.accounts import make_app

pytestmark = pytest.mark.db


@pytest.fixture
def app(database_url: str) -> Iterator[FastAPI]:
    made = make_app(database_url)
    yield made
    made.state.engine.dispose()


def _concrete(path: str) -> str:
    """A path the route matches: each parameter filled with a value of its type."""
    return re.sub(r"\{[^}:]+(:int)?(:path)?\}", lambda m: "7" if m.group(1) else "x7", path)


def _scope(app: FastAPI, path: str, root_path: str = "") -> dict[str, Any]:
    return {
        "type": "http",
        "path": root_path + path,
        "root_path": root_path,
        "method": "GET",
        "headers": [],
        "query_string": b"",
        "app": app,
    }


def _first_match(app: FastAPI, path: str, root_path: str = "") -> BaseRoute | None:
    scope = _scope(app, path, root_path)
    for route in app.router.routes:
        match, _ = route.matches(scope)
        if match is not Match.NONE:
            return route
    return None


def test_every_top_level_router_is_guarded_and_every_route_still_listed(app: FastAPI) -> None:
    guarded = [r for r in app.router.routes if isinstance(r, _GuardedRouter)]
    assert len(guarded) >= 30  # the API, health and each page module
    unguarded = _plain_routes(app)
    paths = {(c.path, tuple(sorted(c.methods or ()))) for c in iter_route_contexts(app.routes)}
    plain = {(c.path, tuple(sorted(c.methods or ()))) for c in iter_route_contexts(unguarded)}
    assert paths == plain
    assert len(paths) > 250


def _plain_routes(app: FastAPI) -> list[BaseRoute]:
    """The routes as FastAPI included them: each guarded router back to a plain one."""
    return [
        _IncludedRouter(original_router=r.original_router, include_context=r.include_context)
        if isinstance(r, _GuardedRouter)
        else r
        for r in app.router.routes
    ]


@pytest.mark.parametrize("root_path", ["", "/resched"])
def test_each_route_is_found_by_its_own_router(app: FastAPI, root_path: str) -> None:
    for route in app.router.routes:
        if not isinstance(route, _GuardedRouter):
            continue
        for context in iter_route_contexts([route]):
            path = _concrete(str(context.path))
            found = _first_match(app, path, root_path)
            # The first router that matches is this one, or one before it that FastAPI
            # also reached first without the guard (a path two routers share).
            assert found is not None, path
            if found is not route:
                plain = _plain_routes(app)
                scope = _scope(app, path, root_path)
                first_plain = next(r for r in plain if r.matches(scope)[0] is not Match.NONE)
                assert getattr(first_plain, "original_router", None) is getattr(
                    found, "original_router", None
                )


def test_a_router_declines_paths_outside_its_beginnings(app: FastAPI) -> None:
    api = next(r for r in app.router.routes if "/api/v1/people" in getattr(r, "beginnings", ()))
    assert api.matches(_scope(app, "/today"))[0] is Match.NONE
    assert api.matches(_scope(app, "/api/v1/people"))[0] is Match.FULL
    assert api.matches(_scope(app, "/api/v1/people", "/resched"))[0] is Match.FULL


def test_pages_redirects_and_404s_answer_as_before(app: FastAPI) -> None:
    with TestClient(app, base_url="http://127.0.0.1") as client:
        assert client.get("/healthz").status_code == 200
        assert client.get("/login").status_code == 200
        assert client.get("/api/v1/people").status_code == 401  # found, not signed in
        assert client.get("/no-such-page").status_code == 404
        assert client.get("/api/v1/no-such-thing").status_code == 404
        slash = client.get("/login/", follow_redirects=False)
        assert slash.status_code in (307, 308)
        assert slash.headers["location"].endswith("/login")


def test_guarding_twice_changes_nothing(app: FastAPI) -> None:
    before = list(app.router.routes)
    guard_included_routers(app)
    assert app.router.routes == before
