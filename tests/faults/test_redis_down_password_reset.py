"""Passwords while Redis is down (issue 17): the login counters live in Redis in production.

An administrator's reset needs Redis only to lift the account's sign-in lockout; the password
itself lives in the database. So during an outage the reset is made (the person can sign in
with the one-time password at once: the counters are in this process's memory meanwhile),
and the page, the API and the CLI say plainly that a lockout kept in Redis may come back once
it answers. Never a 500, never "lockout lifted" when it was not. The owner's own password
change goes on, throttled in memory, like sign-in (test_redis_down_sign_in.py).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from resched.cli import app as cli
from resched.db.tables import UserRow
from resched.services.audit import list_audit_events
from tests.accounts import API, PASSWORD, add_user, api_client, make_app, page_client
from tests.faults.redis_server import RedisServer, free_port
from tests.web.test_sign_in import csrf_of, sign_in

pytestmark = pytest.mark.db
NEW_PASSWORD = "quiet-harbour-violin-77"
NOT_LIFTED = "could not be reached, so a sign-in lockout of rosa"


@pytest.fixture
def app(database_url: str, redis_server: RedisServer) -> Iterator[FastAPI]:
    app = make_app(
        database_url, redis_url=redis_server.url, rate_limit_prefix=f"faults:{uuid.uuid4().hex}:"
    )
    yield app
    app.state.engine.dispose()


def _factory(app: FastAPI) -> sessionmaker[Session]:
    factory: sessionmaker[Session] = app.state.session_factory
    return factory


def _account(app: FastAPI, user_id: int) -> tuple[str, bool]:
    with _factory(app)() as session:
        row = session.get_one(UserRow, user_id)
        return row.password_hash, row.must_change_password


def _reset_in_the_page(admin: TestClient, user_id: int) -> str:
    confirm = admin.get(f"/admin/users/{user_id}/password-reset")
    done = admin.post(
        f"/admin/users/{user_id}/password-reset", data={"csrf_token": csrf_of(confirm)}
    )
    assert done.status_code == 200, done.text
    return done.text


def _one_time_password(page: str) -> str:
    found = re.search(r'id="one-time-password">([^<]+)<', page)
    assert found, page
    return found[1]


def test_a_reset_in_the_page_is_made_and_says_the_lockout_may_stay(
    app: FastAPI, redis_server: RedisServer
) -> None:
    factory = _factory(app)
    admin_id = add_user(factory, "admin", username="boss")
    rosa = add_user(factory, "resident", username="rosa")
    with page_client(app, admin_id) as admin, TestClient(app) as anonymous:
        # Redis up: the lockout is lifted there, and nothing more is said.
        assert 'id="lockout-note"' not in _reset_in_the_page(admin, rosa)

        redis_server.stop()
        hash_before, _ = _account(app, rosa)
        page = _reset_in_the_page(admin, rosa)
        note = re.search(r'<div class="notice warning" id="lockout-note">\s*<p>([^<]+)<', page)
        assert note, page
        assert NOT_LIFTED in note[1]
        assert "reset the password again" in note[1]

        # The reset was made in full: a new password, the mark, the audit event ...
        hash_after, must_change = _account(app, rosa)
        assert hash_after != hash_before
        assert must_change
        events = list_audit_events(factory=factory, entity="user").items
        assert [e.action for e in events].count("user.password_reset") == 2
        # ... and rosa signs in with the one-time password while Redis is still down.
        assert sign_in(anonymous, "rosa", _one_time_password(page)).status_code == 303


def test_a_reset_through_the_api_reports_the_lockout_it_could_not_lift(
    app: FastAPI, redis_server: RedisServer
) -> None:
    factory = _factory(app)
    admin_id = add_user(factory, "admin", username="boss")
    rosa = add_user(factory, "resident", username="rosa")
    with api_client(app, admin_id) as admin:
        lifted = admin.post(f"users/{rosa}/password-reset")
        assert lifted.status_code == 200, lifted.text
        assert (lifted.json()["lockout_lifted"], lifted.json()["warning"]) == (True, None)

        redis_server.stop()
        response = admin.post(f"users/{rosa}/password-reset")
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["lockout_lifted"] is False
        assert NOT_LIFTED in body["warning"]
    with TestClient(app, base_url=f"http://testserver{API}/") as anonymous:
        login = {"username": "rosa", "password": body["one_time_password"]}
        assert anonymous.post("auth/login", json=login).status_code == 200


def test_the_owner_changes_their_password_while_redis_is_down(
    app: FastAPI, redis_server: RedisServer
) -> None:
    factory = _factory(app)
    rosa = add_user(factory, "resident", username="rosa")
    hash_before = _account(app, rosa)[0]
    with page_client(app, rosa) as client:
        redis_server.stop()
        form = client.get("/account/password")
        wrong = {
            "csrf_token": csrf_of(form),
            "current_password": "not-my-password-1",
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        }
        # Wrong current passwords still lock the change, counted in this process.
        answers = [client.post("/account/password", data=wrong).status_code for _ in range(6)]
        assert answers == [422] * 5 + [429]
        assert _account(app, rosa)[0] == hash_before  # nothing written
    other = add_user(factory, "resident", username="olga")
    with page_client(app, other) as client:
        form = client.get("/account/password")
        right = {
            "csrf_token": csrf_of(form),
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        }
        hash_before = _account(app, other)[0]
        changed = client.post("/account/password", data=right, follow_redirects=False)
        assert changed.status_code == 303, changed.text
        assert _account(app, other)[0] != hash_before


def test_the_command_line_reset_says_so_too(
    database_url: str, session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    rosa = add_user(session_factory, "resident", username="rosa")
    monkeypatch.setenv("RESCHED_REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")  # nobody there
    for name, value in {"TIME_COST": "1", "MEMORY_COST": "8", "PARALLELISM": "1"}.items():
        monkeypatch.setenv(f"RESCHED_ARGON2_{name}", value)
    args = ["user", "reset-password", "rosa", "--database-url", database_url]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert NOT_LIFTED in result.stderr
    assert "Traceback" not in result.output
    with session_factory() as session:
        assert session.get_one(UserRow, rosa).must_change_password
