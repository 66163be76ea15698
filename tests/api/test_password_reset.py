"""An administrator's password reset through the API: a one-time password answered once, the
account's tokens ended, and until the owner changes it every route but the account's own
answers 403 ``password_change_required`` (a walk over every route of the app)."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from resched.services.audit import list_audit_events
from resched.services.permissions import Permission
from tests.accounts import API, PASSWORD, add_user
from tests.api.conftest import ClientAs
from tests.api.test_route_permissions import _api_routes, _declared

pytestmark = pytest.mark.db

Factory = sessionmaker[Session]
NEW_PASSWORD = "quiet-harbour-violin-77"
CHANGE_REQUIRED = "password_change_required"


def _login(client: TestClient, username: str, password: str) -> dict[str, str]:
    response = client.post("auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.json()
    body: dict[str, str] = response.json()
    return body


def _bearer(tokens: dict[str, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def _reset(admin: TestClient, user_id: int) -> str:
    response = admin.post(f"users/{user_id}/password-reset")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["user_id"] == user_id
    one_time: str = body["one_time_password"]
    return one_time


def test_a_reset_signs_the_user_out_and_opens_only_the_password_change(
    client_as: ClientAs, anonymous: TestClient, session_factory: Factory
) -> None:
    admin = client_as("admin", username="boss")
    user_id = add_user(session_factory, "coordinator", username="chief")
    before = _login(anonymous, "chief", PASSWORD)

    one_time = _reset(admin, user_id)

    assert anonymous.get("auth/me", headers=_bearer(before)).status_code == 401
    refreshed = anonymous.post("auth/refresh", json={"refresh_token": before["refresh_token"]})
    assert refreshed.status_code == 401
    assert (
        anonymous.post("auth/login", json={"username": "chief", "password": PASSWORD}).status_code
        == 401
    )
    headers = _bearer(_login(anonymous, "chief", one_time))
    me = anonymous.get("auth/me", headers=headers)
    assert me.json()["must_change_password"] is True
    refused = anonymous.get("people", headers=headers)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == CHANGE_REQUIRED
    listed = admin.get(f"users/{user_id}").json()
    assert listed["must_change_password"] is True
    assert listed["last_sign_in_at"] is not None

    changed = anonymous.post(
        "auth/password",
        json={"current_password": one_time, "new_password": NEW_PASSWORD},
        headers=headers,
    )
    assert changed.status_code == 204, changed.json()
    assert anonymous.get("people", headers=headers).status_code == 200
    assert anonymous.get("auth/me", headers=headers).json()["must_change_password"] is False
    assert admin.get(f"users/{user_id}").json()["must_change_password"] is False
    events = list_audit_events(factory=session_factory, entity="user").items
    reset = next(e for e in events if e.action == "user.password_reset")
    assert (reset.actor, reset.client_address) == ("boss", "testclient")
    assert one_time not in str([(e.before, e.after, e.reason) for e in events])


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def test_every_route_but_the_accounts_own_answers_password_change_required(
    app: FastAPI, client_as: ClientAs, anonymous: TestClient, session_factory: Factory
) -> None:
    # An administrator: every permission is theirs, so only the reset mark can refuse.
    user_id = add_user(session_factory, "admin", username="reset-boss")
    one_time = _reset(client_as("admin"), user_id)
    headers = _bearer(_login(anonymous, "reset-boss", one_time))
    checked = 0
    with TestClient(app) as client:
        for route in _api_routes(app):
            permissions, public = _declared(route)
            if public or not route.path.startswith(API) or route.path.endswith("/logout"):
                continue
            for method in sorted(route.methods - {"HEAD"}):
                response = client.request(method, _concrete(route.path), headers=headers)
                if permissions == {Permission.ACCOUNT_SELF}:
                    assert response.status_code != 403, (method, route.path)
                    continue
                assert response.status_code == 403, (method, route.path, response.text)
                assert response.json()["error"]["code"] == CHANGE_REQUIRED, route.path
                checked += 1
    assert checked >= 40


@pytest.mark.parametrize("role", ["coordinator", "faculty", "resident"])
def test_only_administrators_reset_passwords(
    client_as: ClientAs, session_factory: Factory, role: str
) -> None:
    user_id = add_user(session_factory, "coordinator", username="chief")
    response = client_as(role).post(f"users/{user_id}/password-reset")
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["details"]["permission"] == "users:manage"
    assert f"Your role ({role}) cannot manage user accounts" in error["message"]


def test_reset_refusals(client_as: ClientAs, anonymous: TestClient) -> None:
    admin = client_as("admin", username="boss")
    me = admin.get("auth/me").json()["id"]
    assert anonymous.post(f"users/{me}/password-reset").status_code == 401
    assert admin.post(f"users/{me}/password-reset").status_code == 409  # change your own
    assert admin.post("users/999999/password-reset").status_code == 404
    assert admin.post("users/0/password-reset").status_code == 422
    assert admin.get("auth/me").status_code == 200


NUL = "ch\x00ief"


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("auth/login", {"username": NUL, "password": PASSWORD}, "username"),
        ("auth/login", {"username": "chief", "password": f"{PASSWORD}\x00"}, "password"),
        ("auth/refresh", {"refresh_token": "a.b\x00.c"}, "refresh_token"),
    ],
)
def test_a_nul_byte_in_sign_in_fields_is_422_naming_the_field(
    anonymous: TestClient, session_factory: Factory, path: str, body: dict[str, str], field: str
) -> None:
    add_user(session_factory, "coordinator", username="chief")
    response = anonymous.post(path, json=body)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["details"]["errors"][0]["path"] == field


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("users", {"username": NUL, "password": NEW_PASSWORD, "role": "admin"}, "username"),
        (
            "users",
            {"username": "nul", "password": f"{NEW_PASSWORD}\x00", "role": "admin"},
            "password",
        ),
        (
            "users",
            {"username": "nul", "password": NEW_PASSWORD, "role": "resident", "person_code": NUL},
            "person_code",
        ),
        ("auth/password", {"current_password": "a\x00", "new_password": NEW_PASSWORD}, None),
        ("auth/password", {"current_password": PASSWORD, "new_password": "b\x00" * 8}, None),
    ],
)
def test_a_nul_byte_in_account_fields_is_422(
    client_as: ClientAs, path: str, body: dict[str, str], field: str | None
) -> None:
    admin = client_as("admin")
    response = admin.post(path, json=body)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    paths = {e["path"] for e in error["details"].get("errors", [])}
    assert field is None or field in paths or error["details"].get("field") == field
    assert paths or error["details"].get("field")


def test_wrong_current_passwords_are_429_with_retry_after(client_as: ClientAs) -> None:
    client = client_as("resident")
    for n in range(5):
        wrong = client.post(
            "auth/password", json={"current_password": f"guess-{n}", "new_password": NEW_PASSWORD}
        )
        assert wrong.status_code == 422
    limited = client.post(
        "auth/password", json={"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert limited.status_code == 429
    assert 1 <= int(limited.headers["retry-after"]) <= 60
    assert limited.json()["error"]["code"] == "too_many_requests"
    assert "wrong current passwords" in limited.json()["error"]["message"]
