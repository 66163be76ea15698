"""The tests' route cache (tests/route_cache.py) shares FastAPI's analysis of the routes between
apps, never an app's own wiring: each app still answers with its own dependency overrides."""

from __future__ import annotations

import pytest
from fastapi import HTTPException
from fastapi.testclient import TestClient

from resched.api.health import router as health_router
from tests import route_cache
from tests.accounts import make_app

pytestmark = pytest.mark.db


def _teapot() -> None:
    raise HTTPException(418, "overridden in this app only")


def test_the_cache_is_in_place_so_a_fastapi_upgrade_that_drops_it_is_noticed() -> None:
    assert route_cache.install()


def test_an_override_in_one_app_does_not_reach_another(database_url: str) -> None:
    first, second = make_app(database_url), make_app(database_url)
    healthz_dependency = health_router.routes[0].dependencies[0].dependency
    first.dependency_overrides[healthz_dependency] = _teapot
    with TestClient(first) as overridden, TestClient(second) as plain:
        assert overridden.get("/healthz").status_code == 418
        assert plain.get("/healthz").status_code == 200
    # and an app built after the override starts clean too
    third = make_app(database_url)
    with TestClient(third) as later:
        assert later.get("/healthz").json() == {"status": "ok"}
    for app in (first, second, third):
        app.state.engine.dispose()
