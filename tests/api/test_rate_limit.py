"""Login rate limits through HTTP: 429 with Retry-After, in memory (embedded mode) and in
Redis (production), where the counters are shared by every app process."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import redis
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from resched.services.auth.fallback_store import FallbackStore
from resched.services.auth.memory_store import MemoryStore
from resched.services.auth.redis_store import RedisStore
from tests.accounts import API, PASSWORD, add_user, make_app

pytestmark = pytest.mark.db

REDIS_URL = "redis://127.0.0.1:6379/0"


def _attempt(
    client: TestClient, username: str = "chief", password: str = "wrong-password-1"
) -> int:
    response = client.post("auth/login", json={"username": username, "password": password})
    return response.status_code


def _assert_limited(client: TestClient, username: str = "chief", password: str = PASSWORD) -> None:
    response = client.post("auth/login", json={"username": username, "password": password})
    assert response.status_code == 429, response.json()
    assert 1 <= int(response.headers["retry-after"]) <= 3600
    assert response.json()["error"]["code"] == "too_many_requests"


def test_five_bad_logins_then_429_even_with_the_right_password(
    anonymous: TestClient, session_factory: sessionmaker[Session]
) -> None:
    add_user(session_factory, "coordinator", username="chief")
    assert [_attempt(anonymous) for _ in range(5)] == [401] * 5
    _assert_limited(anonymous)  # locked out: the right password is not even checked
    _assert_limited(anonymous, username="CHIEF")


def test_one_client_cannot_spray_many_usernames(
    anonymous: TestClient, session_factory: sessionmaker[Session]
) -> None:
    add_user(session_factory, "coordinator", username="chief")
    # The default budget of an address: 100 failures in 10 minutes, whatever the usernames.
    assert {_attempt(anonymous, f"guess{n}") for n in range(100)} == {401}
    _assert_limited(anonymous, username="chief")
    _assert_limited(anonymous, username="someone-new")


def test_200_colleagues_behind_one_address_all_sign_in(
    anonymous: TestClient, session_factory: sessionmaker[Session]
) -> None:
    # 07:00 at a hospital: everyone comes through the same NAT address, a few mistype first.
    names = [f"colleague{n}" for n in range(200)]
    for name in names:
        add_user(session_factory, "coordinator", username=name)
    codes = []
    for n, name in enumerate(names):
        if n % 20 == 0:
            assert _attempt(anonymous, name) == 401
        codes.append(_attempt(anonymous, name, PASSWORD))
    assert codes == [200] * 200
    assert _attempt(anonymous, names[0], PASSWORD) == 200


def test_failed_sign_ins_set_the_failure_budget_from_settings(database_url: str) -> None:
    app = make_app(database_url, login_failures_per_client=3, login_failure_window_minutes=2)
    try:
        with TestClient(app, base_url=f"http://testserver{API}/") as client:
            assert [_attempt(client, f"guess{n}") for n in range(3)] == [401] * 3
            response = client.post("auth/login", json={"username": "x", "password": "y"})
            assert response.status_code == 429
            assert 1 <= int(response.headers["retry-after"]) <= 120
    finally:
        app.state.engine.dispose()


def test_the_memory_store_is_used_without_redis(anonymous: TestClient) -> None:
    assert isinstance(anonymous.app.state.security.limiter.store, MemoryStore)  # type: ignore[attr-defined]


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    prefix = f"resched-test:{uuid.uuid4().hex}:"
    yield prefix
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=prefix + "*"))
    if keys:
        client.delete(*keys)
    client.close()


def test_redis_counters_are_shared_by_every_app_process(
    database_url: str,
    engine: Engine,
    session_factory: sessionmaker[Session],
    redis_prefix: str,
) -> None:
    add_user(session_factory, "coordinator", username="chief")
    # Two apps stand for two server processes; the broker URL is enough to select Redis.
    apps = [
        make_app(database_url, broker_url=REDIS_URL, rate_limit_prefix=redis_prefix)
        for _ in range(2)
    ]
    clients = [TestClient(app, base_url=f"http://testserver{API}/") for app in apps]
    try:
        for app in apps:
            store = app.state.security.limiter.store
            assert isinstance(store, FallbackStore)
            assert isinstance(store.primary, RedisStore)
        codes = [_attempt(clients[n % 2]) for n in range(5)]
        assert codes == [401] * 5
        _assert_limited(clients[0])
        _assert_limited(clients[1])
        keys = list(redis.Redis.from_url(REDIS_URL).scan_iter(match=redis_prefix + "*"))
        assert keys
    finally:
        for client, app in zip(clients, apps, strict=True):
            client.close()
            app.state.engine.dispose()
