"""ETag / If-Match on the items people edit (issue 17): a write based on a stale read is a
409 in the one error shape, with the current version; clients that send no If-Match keep
working (documented: last writer wins), and so do imports. Demo and pediatrics."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from resched.services.audit import list_audit_events
from tests.import_data import csv_bytes
from tests.web.programs import PROGRAMS, store_program

Factory = sessionmaker[Session]


def _etag(response: object) -> str:
    tag = response.headers["etag"]  # type: ignore[attr-defined]
    assert tag.startswith('"')
    return str(tag)


@pytest.mark.parametrize("program", PROGRAMS)
def test_a_stale_put_is_a_409_with_the_current_version_and_nothing_written(
    client: TestClient, session_factory: Factory, program: str
) -> None:
    stored = store_program(session_factory, program)
    url = f"/people/{stored.resident_ids[0]}"
    read_by_a = client.get(url)
    read_by_b = client.get(url)
    assert _etag(read_by_a) == _etag(read_by_b) == '"1"'
    body = read_by_a.json()
    payload = {k: body[k] for k in ("code", "name", "role", "email", "credentials", "active")}
    payload["years"] = body["years"]

    saved = client.put(url, json={**payload, "name": "A"}, headers={"If-Match": _etag(read_by_a)})
    assert saved.status_code == 200, saved.text
    assert saved.headers["etag"] == '"2"'
    audited = list_audit_events(factory=session_factory, entity="person").total

    refused = client.put(url, json={**payload, "name": "B"}, headers={"If-Match": _etag(read_by_b)})
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "conflict"
    assert "Someone else changed this person" in error["message"]
    assert error["details"]["current_version"] == 2
    assert refused.headers["etag"] == '"2"'
    assert client.get(url).json()["name"] == "A"
    assert list_audit_events(factory=session_factory, entity="person").total == audited

    retried = client.put(url, json={**payload, "name": "B"}, headers={"If-Match": '"2"'})
    assert retried.status_code == 200
    assert client.get(url).headers["etag"] == '"3"'


@pytest.mark.parametrize("program", PROGRAMS)
def test_writes_without_if_match_still_work_and_move_the_version(
    client: TestClient, session_factory: Factory, program: str
) -> None:
    store_program(session_factory, program)
    rotation = client.get("/rotations").json()["items"][0]
    url = f"/rotations/{rotation['id']}"
    first = _etag(client.get(url))
    body = {k: v for k, v in client.get(url).json().items() if k != "id"}
    assert client.put(url, json={**body, "name": "Renamed"}).status_code == 200
    assert _etag(client.get(url)) != first
    assert client.put(url, json=body, headers={"If-Match": first}).status_code == 409
    assert client.put(url, json=body, headers={"If-Match": "*"}).status_code == 200


def test_every_versioned_item_answers_an_etag_and_refuses_a_stale_delete(
    client: TestClient, session_factory: Factory
) -> None:
    store_program(session_factory, "demo")
    person_id = client.get("/people").json()["items"][0]["id"]
    absence = client.post(
        "/absences",
        json={
            "person_id": person_id,
            "start": "2026-08-03",
            "end": "2026-08-04",
            "type": "vacation",
        },
    )
    assert absence.status_code == 201, absence.text
    for collection in ("/shift-types", "/coverage-requirements", "/absences"):
        item = client.get(collection).json()["items"][-1]
        url = f"{collection}/{item['id']}"
        assert _etag(client.get(url)) == '"1"', url
        stale = client.delete(url, headers={"If-Match": '"7"'})
        assert stale.status_code == 409, url
        assert stale.json()["error"]["details"]["current_version"] == 1
        assert client.get(url).status_code == 200, url
    assert _etag(client.get("/program"))[1:-1].isdigit()


def test_a_stale_program_put_is_refused(client: TestClient, session_factory: Factory) -> None:
    store_program(session_factory, "pediatrics")
    current = client.get("/program")
    body = {k: v for k, v in current.json().items() if k != "id"}
    tag = _etag(current)
    assert (
        client.put(
            "/program", json={**body, "freeze_horizon_days": 3}, headers={"If-Match": tag}
        ).status_code
        == 200
    )
    refused = client.put(
        "/program", json={**body, "freeze_horizon_days": 9}, headers={"If-Match": tag}
    )
    assert refused.status_code == 409
    assert client.get("/program").json()["freeze_horizon_days"] == 3


@pytest.mark.parametrize("header", ["abc", '"1", "2"', "W/x"])
def test_a_malformed_if_match_is_a_422_naming_it(
    client: TestClient, session_factory: Factory, header: str
) -> None:
    store_program(session_factory, "demo")
    shift = client.get("/shift-types").json()["items"][0]
    response = client.delete(f"/shift-types/{shift['id']}", headers={"If-Match": header})
    assert response.status_code == 422
    assert response.json()["error"]["details"]["field"] == "If-Match"


def test_an_import_that_updates_a_person_makes_an_earlier_read_stale(
    client: TestClient, session_factory: Factory
) -> None:
    store_program(session_factory, "pediatrics")
    person = next(p for p in client.get("/people").json()["items"] if p["code"] == "att1")
    url = f"/people/{person['id']}"
    tag = _etag(client.get(url))
    rows = [["code", "name", "role", "email"], ["att1", "Attending Renamed", "faculty", ""]]
    preview = client.post(
        "/imports",
        files={"file": ("people.csv", csv_bytes(rows), "text/csv")},
        data={"kind": "people"},
    ).json()
    assert preview["summary"]["update"] == 1, preview
    assert client.post(f"/imports/{preview['id']}/apply").status_code == 200
    body = {k: v for k, v in client.get(url).json().items() if k != "id"}
    assert client.put(url, json=body, headers={"If-Match": tag}).status_code == 409
    assert client.get(url).json()["name"] == "Attending Renamed"
