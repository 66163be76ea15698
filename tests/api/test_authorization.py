"""The permission matrix applied to the API: anonymous callers get 401, residents and faculty
read the program but change only their own requests, coordinators manage the program,
administrators manage users and read the audit trail. Writes are audited with the actor, the
request id and the client address."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from resched.services.audit import list_audit_events
from tests.api.conftest import ClientAs
from tests.api.test_crud import COVERAGE, ROTATION, SHIFT

pytestmark = pytest.mark.db

PERSON = {"code": "n1", "name": "New Person", "role": "resident"}
COORDINATOR_WRITES: list[tuple[str, str, dict[str, Any] | None]] = [
    ("post", "people", PERSON),
    ("put", "people/1", PERSON),
    ("delete", "people/1", None),
    ("post", "shift-types", SHIFT),
    ("post", "rotations", ROTATION),
    ("post", "coverage-requirements", COVERAGE),
    ("delete", "rotations/1", None),
    ("post", "academic-years/1/next", {}),
    ("post", "academic-years/1/next/preview", {}),
    (
        "put",
        "academic-years/1/plan/cells",
        {"person_id": 1, "block": 1, "rotation_code": "WARDS", "dry_run": True},
    ),
]
ADMIN_ONLY = [("get", "users"), ("get", "audit-events"), ("get", "users/1")]


def _absence(person_id: int, status: str = "requested") -> dict[str, Any]:
    return {
        "person_id": person_id,
        "start": "2026-08-03",
        "end": "2026-08-07",
        "type": "vacation",
        "status": status,
    }


def _me(client: TestClient) -> dict[str, Any]:
    me: dict[str, Any] = client.get("auth/me").json()
    return me


def test_every_api_route_refuses_anonymous_callers(app: FastAPI, anonymous: TestClient) -> None:
    public = {"/api/v1/auth/login", "/api/v1/auth/refresh"}
    checked = 0
    for context in iter_route_contexts(app.routes):
        path = context.path
        if not isinstance(context.original_route, APIRoute) or not path.startswith("/api/v1"):
            continue
        if path in public:
            continue
        url = path.removeprefix("/api/v1/").replace("{", "").replace("}", "")
        url = "/".join("1" if part.endswith("_id") else part for part in url.split("/"))
        for method in context.methods:
            response = anonymous.request(method, url, json={})
            assert response.status_code == 401, (method, path, response.status_code)
            assert response.headers["www-authenticate"] == "Bearer"
            checked += 1
    assert checked >= 30


@pytest.mark.parametrize("role", ["resident", "faculty"])
@pytest.mark.parametrize(("method", "path", "body"), COORDINATOR_WRITES)
def test_a_member_calling_a_coordinator_action_gets_403(
    client_as: ClientAs,
    session_factory: sessionmaker[Session],
    role: str,
    method: str,
    path: str,
    body: dict[str, Any] | None,
) -> None:
    member = client_as(role)
    response = member.request(method.upper(), path, json=body)
    assert response.status_code == 403, response.json()
    assert response.json()["error"]["code"] == "forbidden"
    assert list_audit_events(factory=session_factory).total == 0


@pytest.mark.parametrize("role", ["resident", "faculty", "coordinator"])
@pytest.mark.parametrize(("method", "path"), ADMIN_ONLY)
def test_only_admins_manage_users_and_read_the_audit_trail(
    client_as: ClientAs, role: str, method: str, path: str
) -> None:
    assert client_as(role).request(method.upper(), path).status_code == 403
    assert client_as("admin").request(method.upper(), path).status_code in (200, 404)


@pytest.mark.parametrize("role", ["resident", "faculty"])
def test_members_read_the_program(client: TestClient, client_as: ClientAs, role: str) -> None:
    assert client.post("shift-types", json=SHIFT).status_code == 201
    member = client_as(role)
    for path in ("people", "shift-types", "rotations", "coverage-requirements", "auth/me"):
        assert member.get(path).status_code == 200, path
    assert member.get("shift-types").json()["total"] == 1


def test_a_resident_requests_and_cancels_only_their_own_absence(
    client: TestClient, client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    rosa, other = client_as("resident"), client_as("resident")
    mine, theirs = _me(rosa)["person_id"], _me(other)["person_id"]

    assert rosa.post("absences", json=_absence(theirs)).status_code == 403
    assert rosa.post("absences", json=_absence(mine, "approved")).status_code == 403
    created = rosa.post("absences", json=_absence(mine))
    assert created.status_code == 201
    absence_id = created.json()["id"]
    theirs_id = client.post("absences", json=_absence(theirs)).json()["id"]

    assert rosa.get(f"absences/{theirs_id}").status_code == 404  # not even its existence
    assert rosa.get("absences", params={"person_id": theirs}).status_code == 403
    assert [a["id"] for a in rosa.get("absences").json()["items"]] == [absence_id]
    assert client.get("absences").json()["total"] == 2  # the coordinator sees both

    cancel = {**_absence(mine), "status": "cancelled"}
    assert rosa.put(f"absences/{absence_id}", json=cancel).status_code == 200
    assert rosa.put(f"absences/{theirs_id}", json=cancel).status_code == 404
    approve = {**_absence(theirs), "status": "approved"}
    assert client.put(f"absences/{theirs_id}", json=approve).status_code == 409  # a decision
    decided = client.post(f"absences/{theirs_id}/approve", json={"accept_repair": False})
    assert decided.status_code == 200
    assert other.delete(f"absences/{theirs_id}").status_code == 403  # decided: not theirs to drop

    events = [e for e in list_audit_events(factory=session_factory).items if e.entity == "absence"]
    assert next(e.actor for e in events) == _me(rosa)["username"]
    assert all(e.request_id and e.client_address == "testclient" for e in events)


def test_writes_are_audited_with_actor_request_id_and_address(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    response = client.post("shift-types", json=SHIFT, headers={"X-Request-ID": "req-shift-1"})
    assert response.status_code == 201
    event = list_audit_events(factory=session_factory).items[-1]
    assert (event.actor, event.request_id, event.client_address) == (
        _me(client)["username"],
        "req-shift-1",
        "testclient",
    )


def test_admins_manage_users_through_the_api(
    client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    admin = client_as("admin", username="boss")
    created = admin.post(
        "users",
        json={"username": "newchief", "password": "quiet-harbour-violin-77", "role": "coordinator"},
    )
    assert created.status_code == 201, created.json()
    user = created.json()
    assert not {"password", "password_hash"} & set(user)
    assert "quiet-harbour-violin-77" not in str(user)
    assert "argon2" not in str(user)
    assert user["must_change_password"] is False
    assert user["role"] == "coordinator"
    promoted = admin.patch(f"users/{user['id']}", json={"role": "admin"})
    assert promoted.json()["role"] == "admin"
    off = admin.patch(f"users/{user['id']}", json={"active": False})
    assert off.json()["active"] is False
    me = admin.get("auth/me").json()
    # The last active administrator: neither demoted nor deactivated.
    assert admin.patch(f"users/{me['id']}", json={"role": "coordinator"}).status_code == 409
    assert admin.patch(f"users/{me['id']}", json={"active": False}).status_code == 409
    actions = [e.action for e in list_audit_events(factory=session_factory, entity="user").items]
    assert actions == ["user.create", "user.role", "user.deactivate"]
    search = admin.get("audit-events", params={"action": "user.role"}).json()
    assert [e["actor"] for e in search["items"]] == ["boss"]
