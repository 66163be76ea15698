"""Redis down under sign-in (issue 17): the login counters live in Redis in production, and an
outage must neither break sign-in nor quietly switch the throttling off.

What happens (resched.services.auth.fallback_store): while Redis refuses connections each app
process counts attempts and locks accounts in its own memory, and goes back to Redis once it
answers. A private redis-server is stopped and started again; the shared one is not touched.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from resched.services.auth.fallback_store import FallbackStore
from tests.accounts import API, PASSWORD, add_user, make_app
from tests.faults.redis_server import RedisServer

pytestmark = pytest.mark.db
WRONG = "wrong-password-1"


@pytest.fixture
def app(
    database_url: str, session_factory: sessionmaker[Session], redis_server: RedisServer
) -> Iterator[FastAPI]:
    add_user(session_factory, "coordinator", username="chief")
    add_user(session_factory, "coordinator", username="deputy")
    app = make_app(
        database_url, redis_url=redis_server.url, rate_limit_prefix=f"faults:{uuid.uuid4().hex}:"
    )
    yield app
    app.state.engine.dispose()


def _login(client: TestClient, username: str, password: str) -> int:
    response = client.post("auth/login", json={"username": username, "password": password})
    return response.status_code


def test_sign_in_goes_on_and_stays_throttled_while_redis_is_down(
    app: FastAPI, redis_server: RedisServer
) -> None:
    store = app.state.security.limiter.store
    assert isinstance(store, FallbackStore)
    with TestClient(app, base_url=f"http://testserver{API}/") as client:
        assert _login(client, "deputy", PASSWORD) == 200
        redis_server.stop()
        # Five wrong passwords are refused as wrong passwords (401), never a 500 ...
        assert [_login(client, "chief", WRONG) for _ in range(5)] == [401] * 5
        assert store.primary_down
        # ... and the sixth attempt is throttled even with the right password: counted here.
        limited = client.post("auth/login", json={"username": "chief", "password": PASSWORD})
        assert limited.status_code == 429, limited.text
        assert int(limited.headers["retry-after"]) >= 1
        # Someone else still signs in.
        assert _login(client, "deputy", PASSWORD) == 200


def test_the_counters_go_back_to_redis_when_it_answers(
    app: FastAPI, redis_server: RedisServer
) -> None:
    store = app.state.security.limiter.store
    assert isinstance(store, FallbackStore)
    store.retry_seconds = 0  # try Redis at every call rather than every 15 s
    with TestClient(app, base_url=f"http://testserver{API}/") as client:
        redis_server.stop()
        assert _login(client, "chief", WRONG) == 401
        assert store.primary_down
        redis_server.start()
        assert _login(client, "chief", WRONG) == 401
        assert not store.primary_down
    keys = list(store.primary.client.scan_iter(match=app.state.settings.rate_limit_prefix + "*"))  # type: ignore[attr-defined]
    assert keys, "the attempt after the outage was not counted in Redis"
