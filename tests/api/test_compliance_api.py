"""/compliance/validate and /schedules: reports, path-precise errors, the 20 MB limit, imports,
exports, permissions."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from resched.core.interchange import MAX_DOCUMENT_BYTES, parse_schedule, write_report
from resched.core.rules import ScheduleContext, check_all
from tests.api.conftest import ClientAs
from tests.core.test_interchange import EXAMPLE
from tests.schedule_data import store_program, troubled_doc

pytestmark = pytest.mark.db


def report_of(document: dict[str, Any]) -> dict[str, Any]:
    s = parse_schedule(document)
    return write_report(check_all(ScheduleContext(s)), s.range, s.people, s.assignments)


@pytest.fixture
def stored(session_factory: sessionmaker[Session]) -> None:
    store_program(session_factory)


@pytest.fixture
def version_id(client: TestClient, stored: None) -> int:
    response = client.post("schedules/import", json=troubled_doc())
    assert response.status_code == 201, response.text
    return int(response.json()["version"]["id"])


def test_validate_returns_the_report_of_resched_validate(client: TestClient) -> None:
    response = client.post("compliance/validate", json=EXAMPLE)
    assert response.status_code == 200, response.text
    assert response.json() == report_of(EXAMPLE)
    assert response.json()["findings"][0]["rule"] == "moonlighting-pgy1"
    assert "x-resched-note" not in response.headers


def test_validate_sends_notes_as_headers_not_in_the_report(client: TestClient) -> None:
    document = copy.deepcopy(EXAMPLE)
    document["program"]["rules"].update(foo=1, bar=2)
    response = client.post("compliance/validate", json=document)
    assert response.status_code == 200
    assert response.headers.get_list("x-resched-note") == [
        "program.rules.foo is not a known setting; ignored",
        "program.rules.bar is not a known setting; ignored",
    ]
    assert set(response.json()) == {"format", "range", "compliant", "findings", "summary"}


@pytest.mark.parametrize(
    ("body", "path", "fragment"),
    [
        (b"{oops", "document", "not valid JSON"),
        (b"[1, 2]", "document", "expected a JSON object"),
        (json.dumps({**EXAMPLE, "format": "v0"}).encode(), "format", "resched.schedule/v1"),
        (
            json.dumps(
                {**EXAMPLE, "assignments": [{"person": "r1", "date": "2026-07-01", "shift": "X"}]}
            ).encode(),
            "assignments[0].shift",
            'unknown shift type "X"',
        ),
        (
            json.dumps({**EXAMPLE, "program": {"rules": {"hours_per_week_limit": "BIG"}}})
            .replace('"BIG"', "1e400")
            .encode(),
            "program.rules.hours_per_week_limit",
            "expected a finite number, got inf",
        ),
        (
            json.dumps({**EXAMPLE, "range": {"start": "0001-01-01", "end": "9999-12-31"}}).encode(),
            "range.start",
            'out of range "0001-01-01"',
        ),
        (
            json.dumps({**EXAMPLE, "assignments": [EXAMPLE["assignments"][0]] * 2}).encode(),
            "assignments[1]",
            "repeats assignments[0]",
        ),
    ],
)
def test_validate_names_the_offending_path(
    client: TestClient, body: bytes, path: str, fragment: str
) -> None:
    response = client.post(
        "compliance/validate", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["details"]["errors"][0]["path"] == path
    assert fragment in error["details"]["errors"][0]["message"]


def test_bodies_over_20_mb_are_refused_by_their_declared_length(client: TestClient) -> None:
    body = b" " * (MAX_DOCUMENT_BYTES + 1)
    response = client.post("compliance/validate", content=body)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert "20 MB" in response.json()["error"]["message"]


def test_bodies_over_20_mb_are_refused_while_streaming(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:  # no Content-Length: chunked transfer
        for _ in range(21):
            yield b" " * (1024 * 1024)

    response = client.post("compliance/validate", content=chunks())
    assert response.status_code == 413
    big = client.post("schedules/import", content=chunks())
    assert big.status_code == 413


def test_import_creates_a_draft_and_reports_notes(client: TestClient, stored: None) -> None:
    document = troubled_doc()
    document["absences"] = [
        {"person": "r1", "start": "2026-07-20", "end": "2026-07-21", "type": "sick"}
    ]
    response = client.post("schedules/import?label=Trial", json=document)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["version"]["status"] == "draft"
    assert body["version"]["label"] == "Trial"
    assert body["version"]["assignments"] == len(document["assignments"])
    assert body["notes"] == [{"path": "absences", "message": "1 not imported; the program's apply"}]


def test_import_refuses_unknown_codes_with_paths(client: TestClient, stored: None) -> None:
    document = troubled_doc()
    document["people"].append({"id": "zz", "role": "faculty"})
    response = client.post("schedules/import", json=document)
    assert response.status_code == 422
    assert response.json()["error"]["details"]["errors"] == [
        {"path": "people[4].id", "message": 'unknown person "zz"'}
    ]


def test_list_get_export_and_check(client: TestClient, version_id: int) -> None:
    listed = client.get("schedules", params={"limit": 10}).json()
    assert (listed["total"], [v["id"] for v in listed["items"]]) == (1, [version_id])
    version = client.get(f"schedules/{version_id}").json()
    assert (version["first_day"], version["last_day"]) == ("2026-07-01", "2026-08-11")

    exported = client.get(f"schedules/{version_id}/interchange").json()
    checked = client.get(f"schedules/{version_id}/compliance").json()
    assert checked == report_of(exported)
    assert checked["compliant"] is False

    narrow = {"start": "2026-08-01", "end": "2026-08-11"}
    assert client.get(f"schedules/{version_id}/compliance", params=narrow).json()["range"] == narrow
    assert (
        client.get(f"schedules/{version_id}/interchange", params=narrow).json()["range"] == narrow
    )


@pytest.mark.parametrize("suffix", ["", "/interchange", "/compliance"])
def test_unknown_versions_are_404(client: TestClient, stored: None, suffix: str) -> None:
    response = client.get(f"schedules/424242{suffix}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("suffix", ["/interchange", "/compliance"])
def test_end_before_start_is_422(client: TestClient, version_id: int, suffix: str) -> None:
    response = client.get(
        f"schedules/{version_id}{suffix}", params={"start": "2026-07-10", "end": "2026-07-01"}
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"]["errors"][0]["path"] == "end"
    bad = client.get(f"schedules/{version_id}{suffix}", params={"start": "2026-02-30"})
    assert bad.status_code == 422


def test_residents_read_but_do_not_import(
    client_as: ClientAs,
    anonymous: TestClient,
    version_id: int,
    session_factory: sessionmaker[Session],
) -> None:
    publish_directly(session_factory, version_id)
    resident = client_as("resident")
    assert resident.get("schedules").status_code == 200
    assert resident.get(f"schedules/{version_id}/compliance").status_code == 200
    assert resident.post("compliance/validate", json=EXAMPLE).status_code == 200
    assert resident.post("schedules/import", json=troubled_doc()).status_code == 403
    assert anonymous.get("schedules").status_code == 401
    assert anonymous.post("compliance/validate", json=EXAMPLE).status_code == 401


def test_openapi_describes_the_document_bodies_without_dangling_references(app: FastAPI) -> None:
    spec = app.openapi()
    for path in ("/api/v1/compliance/validate", "/api/v1/schedules/import"):
        body = spec["paths"][path]["post"]["requestBody"]
        assert body["content"]["application/json"]["schema"]["required"] == ["format"]
    assert "$defs" not in json.dumps(spec)


@pytest.mark.parametrize("role", ["resident", "faculty"])
def test_drafts_are_hidden_from_residents_and_faculty(
    client_as: ClientAs, version_id: int, session_factory: sessionmaker[Session], role: str
) -> None:
    member = client_as(role)
    assert member.get("schedules").json()["total"] == 0
    for suffix in ("", "/interchange", "/compliance"):
        assert member.get(f"schedules/{version_id}{suffix}").status_code == 404

    publish_directly(session_factory, version_id)
    assert member.get("schedules").json()["total"] == 1
    assert member.get(f"schedules/{version_id}/compliance").status_code == 200


def publish_directly(factory: sessionmaker[Session], version_id: int) -> None:
    # Publishing through a service belongs to generation; here only the status matters.
    from resched.core.model import ScheduleStatus
    from resched.db.tables import ScheduleVersionRow

    with factory.begin() as session:
        row = session.get(ScheduleVersionRow, version_id)
        assert row is not None
        row.status = ScheduleStatus.PUBLISHED
