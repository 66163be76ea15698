"""Accounts and credentials for tests: settings with the cheapest hashing costs, users of any
role, and signed-in API clients (bearer token) or page clients (session cookie).

Users and sessions are written straight into the tables, without audit events, so that signing
a test client in leaves the audit trail and the people list exactly as the test made them.
The login flows themselves are tested end to end in tests/api/test_auth.py and
tests/web/test_sign_in.py.
"""

from __future__ import annotations

import datetime as dt
import secrets
from functools import lru_cache
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from resched.core.model import Role
from resched.db.tables import AuthSessionRow, PersonRow, SessionKind, UserRole, UserRow
from resched.http.cookies import SESSION_COOKIE
from resched.http.runtime import SecurityRuntime
from resched.main import create_app
from resched.services.accounts.passwords import HashingCosts, make_context
from resched.services.auth.tokens import TokenType, digest, issue
from resched.settings import Settings

API = "/api/v1"
PASSWORD = "plum-orchard-lantern-42"
# The cheapest legal work factors: tests check behaviour, not strength.
CHEAP = {
    "argon2_time_cost": 1,
    "argon2_memory_cost": 8,
    "argon2_parallelism": 1,
    "bcrypt_rounds": 4,
}
TEST_COSTS = HashingCosts(**CHEAP)
_PERSON_ROLE = {UserRole.RESIDENT: Role.RESIDENT, UserRole.FACULTY: Role.FACULTY}


def settings_for(database_url: str, **overrides: Any) -> Settings:
    """Test settings: no .env file, no Redis unless asked for, cheap hashing."""
    values: dict[str, Any] = {
        "database_url": database_url,
        "redis_url": None,
        "broker_url": None,
        **CHEAP,
        "worker_nice": 0,  # as tests/conftest.py sets for workers started as processes
        **overrides,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def make_app(database_url: str, **overrides: Any) -> FastAPI:
    return create_app(settings_for(database_url, **overrides))


@lru_cache(maxsize=1)
def password_hash() -> str:
    return str(make_context(TEST_COSTS).hash(PASSWORD))


def add_user(
    factory: sessionmaker[Session],
    role: str | UserRole,
    *,
    username: str | None = None,
    person_id: int | None = None,
    active: bool = True,
) -> int:
    """A user with ``PASSWORD``; residents and faculty get a person of their own if none is
    given."""
    user_role = UserRole(role)
    with factory.begin() as session:
        if person_id is None and user_role in _PERSON_ROLE:
            code = f"{user_role.value[:3]}-{secrets.token_hex(3)}"
            person = PersonRow(code=code, name=f"Test {code}", role=_PERSON_ROLE[user_role])
            session.add(person)
            session.flush()
            person_id = person.id
        user = UserRow(
            username=username or f"{user_role.value}-{secrets.token_hex(3)}",
            password_hash=password_hash(),
            role=user_role,
            person_id=person_id,
            active=active,
        )
        session.add(user)
        session.flush()
        return user.id


def _session(app: FastAPI, user_id: int, kind: SessionKind, token_hash: str | None) -> str:
    factory: sessionmaker[Session] = app.state.session_factory
    family = secrets.token_hex(16)
    with factory.begin() as session:
        session.add(
            AuthSessionRow(
                id=family,
                user_id=user_id,
                kind=kind,
                token_hash=token_hash,
                expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(hours=1),
            )
        )
    return family


def access_token(app: FastAPI, user_id: int) -> str:
    runtime: SecurityRuntime = app.state.security
    family = _session(app, user_id, SessionKind.API, None)
    token, _ = issue(
        runtime.tokens, user_id=user_id, session_id=family, token_type=TokenType.ACCESS
    )
    return token


def session_cookie(app: FastAPI, user_id: int) -> str:
    token = secrets.token_urlsafe(32)
    _session(app, user_id, SessionKind.WEB, digest(token))
    return token


def api_client(app: FastAPI, user_id: int) -> TestClient:
    """A client of the JSON API (relative paths under /api/v1/) with a bearer token."""
    return TestClient(
        app,
        base_url=f"http://testserver{API}/",
        headers={"Authorization": f"Bearer {access_token(app, user_id)}"},
    )


def page_client(app: FastAPI, user_id: int) -> TestClient:
    """A browser-like client of the pages, signed in with a session cookie."""
    client = TestClient(app)
    client.cookies.set(SESSION_COOKIE, session_cookie(app, user_id))
    return client
