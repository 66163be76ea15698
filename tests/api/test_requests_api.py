"""/api/v1/requests: the life cycle through the API, the permission rules (a member makes,
sees, changes and withdraws only their own open requests; a coordinator any), bad input as 422
naming the field of the request body with nothing written, and ``honoured``."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from resched.core.model import Request, RequestKind, ScheduleStatus
from resched.services import requests
from resched.services.audit import list_audit_events
from resched.services.requests import ENTITY
from tests.api.conftest import ClientAs, error_fields
from tests.conftest import StatementCounter
from tests.generation_data import Tiny, store_tiny, store_version

pytestmark = pytest.mark.db
Factory = sessionmaker[Session]


@pytest.fixture
def tiny(session_factory: Factory) -> Tiny:
    return store_tiny(session_factory)


def _day_off(person_id: int, day: str = "2026-07-11", **changes: Any) -> dict[str, Any]:
    return {"person_id": person_id, "kind": "day_off", "start": day, "end": day} | changes


def _audited(factory: Factory) -> int:
    return list_audit_events(factory=factory, entity=ENTITY).total


def test_a_coordinator_makes_lists_changes_and_deletes_a_request(
    client: TestClient, tiny: Tiny, session_factory: Factory
) -> None:
    r1 = tiny.residents[0]
    created = client.post("requests", json=_day_off(r1, weight=3, note="sister's wedding"))
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body | {"id": 0} == {
        "id": 0,
        "person_id": r1,
        "kind": "day_off",
        "start": "2026-07-11",
        "end": "2026-07-11",
        "shift_code": None,
        "rotation_code": None,
        "weight": 3,
        "status": "open",
        "note": "sister's wedding",
        "honoured": "not_generated",
    }
    url = f"requests/{body['id']}"
    assert client.get(url).json() == body
    changed = client.patch(url, json={"kind": "shift_off", "shift_code": "CALL"})
    assert changed.status_code == 200, changed.json()
    assert (changed.json()["kind"], changed.json()["shift_code"], changed.json()["weight"]) == (
        "shift_off", "CALL", 3
    )  # fmt: skip
    granted = client.patch(url, json={"status": "granted"})
    assert granted.json()["status"] == "granted"
    listed = client.get("requests", params={"person_id": r1, "kind": "shift_off"}).json()
    assert [r["id"] for r in listed["items"]] == [body["id"]]
    assert client.get("requests", params={"status": "open"}).json()["total"] == 0
    ranged = {"start": "2026-07-12", "end": "2026-07-31"}
    assert client.get("requests", params=ranged).json()["total"] == 0
    assert client.get("requests", params={"limit": 1, "offset": 1}).json()["items"] == []
    assert client.delete(url).status_code == 204
    assert client.get(url).status_code == 404
    assert _audited(session_factory) == 4


def test_honoured_follows_the_latest_generated_version(
    client: TestClient, tiny: Tiny, session_factory: Factory
) -> None:
    r1 = tiny.residents[0]
    rotation = {
        "person_id": r1,
        "kind": "rotation",
        "start": "2026-07-01",
        "end": "2026-07-28",
        "rotation_code": "WARDS",
    }
    made = client.post("requests", json=rotation).json()
    store_version(session_factory, tiny, status=ScheduleStatus.PUBLISHED)
    assert client.get(f"requests/{made['id']}").json()["honoured"] == "yes"
    assert client.get("requests").json()["items"][0]["honoured"] == "yes"
    withdrawn = client.patch(f"requests/{made['id']}", json={"status": "withdrawn"}).json()
    assert withdrawn["honoured"] is None


def test_a_resident_acts_only_on_their_own_open_requests(
    client: TestClient, client_as: ClientAs, tiny: Tiny, session_factory: Factory
) -> None:
    rosa = client_as("resident", person_id=tiny.residents[0])
    mine, theirs = tiny.residents[0], tiny.residents[1]

    assert rosa.post("requests", json=_day_off(theirs)).status_code == 403
    assert rosa.post("requests", json=_day_off(mine, status="granted")).status_code == 403
    assert rosa.post("requests", json=_day_off(mine, weight=5)).status_code == 403
    created = rosa.post("requests", json=_day_off(mine, note="exam"))
    assert created.status_code == 201, created.json()
    own_id = created.json()["id"]
    theirs_id = client.post("requests", json=_day_off(theirs)).json()["id"]

    assert rosa.get(f"requests/{theirs_id}").status_code == 404
    assert rosa.patch(f"requests/{theirs_id}", json={"status": "withdrawn"}).status_code == 404
    assert rosa.delete(f"requests/{theirs_id}").status_code == 404
    assert rosa.get("requests", params={"person_id": theirs}).status_code == 403
    assert [r["id"] for r in rosa.get("requests").json()["items"]] == [own_id]
    assert client.get("requests").json()["total"] == 2  # the coordinator sees both

    assert rosa.patch(f"requests/{own_id}", json={"person_id": theirs}).status_code == 403
    assert rosa.patch(f"requests/{own_id}", json={"weight": 4}).status_code == 403
    assert rosa.patch(f"requests/{own_id}", json={"status": "granted"}).status_code == 403
    moved = rosa.patch(f"requests/{own_id}", json={"start": "2026-07-12", "end": "2026-07-12"})
    assert moved.status_code == 200, moved.json()
    assert rosa.patch(f"requests/{own_id}", json={"status": "withdrawn"}).status_code == 200
    # Withdrawn, it is no longer theirs to change.
    assert rosa.patch(f"requests/{own_id}", json={"status": "open"}).status_code == 403
    assert rosa.delete(f"requests/{own_id}").status_code == 403
    assert _audited(session_factory) == 4  # two made, one moved, one withdrawn


BAD: list[tuple[dict[str, Any], str]] = [
    ({"person_id": 999_999}, "person_id"),
    ({"person_id": "1"}, "person_id"),
    ({"kind": "nap"}, "kind"),
    ({"start": "2026-13-01"}, "start"),
    ({"start": "2025-07-01", "end": "2025-07-01"}, "start"),
    ({"end": "2027-07-01"}, "end"),
    ({"end": "2026-07-01"}, "end"),
    ({"kind": "shift_on"}, "shift_code"),
    ({"kind": "shift_on", "shift_code": "NOPE"}, "shift_code"),
    ({"kind": "shift_on", "shift_code": "bad code!"}, "shift_code"),
    ({"kind": "rotation", "rotation_code": "NOPE"}, "rotation_code"),
    ({"shift_code": "CALL"}, "shift_code"),
    ({"weight": 11}, "weight"),
    ({"status": "maybe"}, "status"),
    ({"colour": "red"}, "colour"),
]


@pytest.mark.parametrize(("change", "field"), BAD)
def test_bad_input_is_a_422_naming_the_field(
    client: TestClient, tiny: Tiny, session_factory: Factory, change: dict[str, Any], field: str
) -> None:
    response = client.post("requests", json=_day_off(tiny.residents[0]) | change)
    assert response.status_code == 422, response.json()
    assert error_fields(response) == {field}
    assert client.get("requests").json()["total"] == 0
    assert _audited(session_factory) == 0


def test_duplicates_and_bad_patches_are_422s_that_change_nothing(
    client: TestClient, tiny: Tiny, session_factory: Factory
) -> None:
    first = client.post("requests", json=_day_off(tiny.residents[0])).json()
    twice = client.post("requests", json=_day_off(tiny.residents[0]))
    assert twice.status_code == 422
    assert error_fields(twice) == {"start"}
    url = f"requests/{first['id']}"
    for patch, field in (
        ({"kind": None}, "kind"),
        ({"kind": "shift_on"}, "shift_code"),
        ({"end": "2026-07-01"}, "end"),
        ({"rotation_code": "ELEC"}, "rotation_code"),
    ):
        response = client.patch(url, json=patch)
        assert response.status_code == 422, (patch, response.json())
        assert error_fields(response) == {field}
    assert client.get(url).json() == first
    assert _audited(session_factory) == 1
    assert client.get("requests", params={"start": "2026-07-01"}).status_code == 422


def test_the_list_runs_as_many_statements_for_50_requests_as_for_5(
    client: TestClient, tiny: Tiny, session_factory: Factory, statement_counter: StatementCounter
) -> None:
    store_version(session_factory, tiny, status=ScheduleStatus.PUBLISHED)
    first = dt.date(2026, 7, 1)

    def add(start: int, count: int) -> None:
        for n in range(start, start + count):
            person = tiny.residents[n % len(tiny.residents)]
            day = first + dt.timedelta(days=n)
            requests.create_request(
                factory=session_factory, request=Request(person, RequestKind.DAY_OFF, day, day)
            )

    def listed() -> None:
        assert client.get("requests", params={"limit": 200}).status_code == 200

    add(0, 5)
    few = statement_counter.count(listed)
    add(5, 45)
    assert client.get("requests").json()["total"] == 50
    assert statement_counter.count(listed) == few
