"""Bad input gets a 4xx that names the field - never a 500, never a partial write."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from resched.services.audit import list_audit_events
from tests.api.conftest import error_fields
from tests.api.test_crud import COVERAGE, ROTATION, SHIFT

PERSON = {"code": "r1", "name": "Ada", "role": "resident"}
ABSENCE = {"person_id": 1, "start": "2026-08-03", "end": "2026-08-07", "type": "vacation"}

CASES: list[tuple[str, dict[str, Any], str]] = [
    # wrong types (strict: no "600" for 600, no 1 for true)
    ("shift-types", {**SHIFT, "minutes": "600"}, "minutes"),
    ("shift-types", {**SHIFT, "requires_supervision": 1}, "requires_supervision"),
    ("people", {**PERSON, "name": 42}, "name"),
    ("people", {**PERSON, "years": {"academic_year_id": 1}}, "years"),
    ("coverage-requirements", {**COVERAGE, "weekdays": [True]}, "weekdays[0]"),
    ("coverage-requirements", {**COVERAGE, "weekdays": ["1"]}, "weekdays[0]"),
    # out of range
    ("shift-types", {**SHIFT, "minutes": 0}, "minutes"),
    ("shift-types", {**SHIFT, "minutes": 24 * 60 + 1}, "minutes"),
    ("shift-types", {**SHIFT, "start": "25:00"}, "start"),
    ("rotations", {**ROTATION, "colour": "blue"}, "colour"),
    ("rotations", {**ROTATION, "weekly_pattern": {"8": ["DAY"]}}, "weekly_pattern.8.[key]"),
    (
        "rotations",
        {**ROTATION, "capacities": [{"pgy_min": 0, "pgy_max": 1, "min_count": 0, "max_count": 1}]},
        "capacities[0].pgy_min",
    ),
    ("coverage-requirements", {**COVERAGE, "weekdays": []}, "weekdays"),
    ("coverage-requirements", {**COVERAGE, "min_count": -1}, "min_count"),
    ("coverage-requirements", {**COVERAGE, "dates": ["2026-10-32"]}, "dates[0]"),
    (
        "coverage-requirements",
        {**COVERAGE, "dates": ["2026-10-28"], "except_dates": ["2026-10-28"]},
        "except_dates",
    ),
    ("people", {**PERSON, "years": [{"academic_year_id": 1, "pgy": 0}]}, "years[0].pgy"),
    ("people", {**PERSON, "code": "has space"}, "code"),
    ("people", {**PERSON, "email": "not-an-email"}, "email"),
    ("absences", {**ABSENCE, "end": "2026-08-01"}, "end"),
    ("absences", {**ABSENCE, "start": "2026-02-30"}, "start"),
    # unknown enum values and unknown fields
    ("shift-types", {**SHIFT, "kind": "nap"}, "kind"),
    ("people", {**PERSON, "role": "janitor"}, "role"),
    ("people", {**PERSON, "is_admin": True}, "is_admin"),
    ("absences", {**ABSENCE, "type": "holiday"}, "type"),
    ("coverage-requirements", {**COVERAGE, "holidays": "sometimes"}, "holidays"),
    # cross-field and domain rules (checked by the services)
    ("coverage-requirements", {**COVERAGE, "min_count": 3, "max_count": 2}, "max_count"),
    # Sat 31 Oct 2026 is none of Monday to Wednesday: the rule would never apply.
    ("coverage-requirements", {**COVERAGE, "dates": ["2026-10-31"]}, "dates"),
    (
        "rotations",
        {**ROTATION, "weekly_pattern": {}, "weekly_quotas": [], "not_adjacent_to": ["NOPE"]},
        "not_adjacent_to",
    ),
    (
        "rotations",
        {**ROTATION, "weekly_pattern": {}, "weekly_quotas": [], "prerequisites": ["NOPE"]},
        "prerequisites",
    ),
    ("rotations", {**ROTATION, "prerequisites": ["ICU"]}, "prerequisites"),
    ("rotations", {**ROTATION, "prerequisites": ["has space"]}, "prerequisites[0]"),
    (
        "people",
        {**PERSON, "role": "faculty", "years": [{"academic_year_id": 1, "pgy": 1}]},
        "pgy_by_year",
    ),
    # unknown ids and codes inside the body
    ("absences", {**ABSENCE, "person_id": 999_999}, "person_id"),
    ("absences", {**ABSENCE, "person_id": 2**40}, "person_id"),
    ("people", {**PERSON, "years": [{"academic_year_id": 999_999, "pgy": 1}]}, "pgy_by_year"),
    ("coverage-requirements", {**COVERAGE, "shift_code": "NOPE"}, "shift_code"),
    ("rotations", {**ROTATION, "weekly_pattern": {"1": ["NOPE"]}}, "weekly_pattern"),
]


def _nothing_written(client: TestClient, factory: sessionmaker[Session], path: str) -> bool:
    return client.get(path).json()["total"] == 0 and list_audit_events(factory=factory).total == 0


@pytest.mark.parametrize(("path", "body", "field"), CASES)
def test_bad_bodies(
    client: TestClient,
    session_factory: sessionmaker[Session],
    path: str,
    body: dict[str, Any],
    field: str,
) -> None:
    response = client.post(path, json=body)
    assert response.status_code == 422, response.json()
    assert field in error_fields(response), response.json()
    assert _nothing_written(client, session_factory, path)


@pytest.mark.parametrize("path", ["people", "shift-types", "rotations", "absences"])
def test_malformed_json(
    client: TestClient, session_factory: sessionmaker[Session], path: str
) -> None:
    response = client.post(
        path, content=b'{"code": "x",', headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"
    assert _nothing_written(client, session_factory, path)


@pytest.mark.parametrize("body", [b"[]", b"null", b'"text"', b""])
def test_bodies_that_are_not_objects(client: TestClient, body: bytes) -> None:
    response = client.post("people", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422


@pytest.mark.parametrize("method", ["get", "put", "delete"])
@pytest.mark.parametrize(
    ("item", "status"),
    [("12345", 404), ("0", 422), ("-1", 422), ("abc", 422), (str(2**40), 422)],
)
def test_bad_and_unknown_ids(client: TestClient, method: str, item: str, status: int) -> None:
    for path, body in (
        ("people", PERSON),
        ("shift-types", SHIFT),
        ("rotations", ROTATION),
        ("coverage-requirements", COVERAGE),
        ("absences", ABSENCE),
    ):
        kwargs = {"json": body} if method == "put" else {}
        response = client.request(method.upper(), f"{path}/{item}", **kwargs)
        assert response.status_code == status, (path, response.json())


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 201}, "limit"),
        ({"limit": 0}, "limit"),
        ({"offset": -1}, "offset"),
        ({"limit": "many"}, "limit"),
        ({"role": "janitor"}, "role"),
    ],
)
def test_bad_list_parameters(client: TestClient, params: dict[str, Any], field: str) -> None:
    response = client.get("people", params=params)
    assert response.status_code == 422
    assert field in error_fields(response)


def test_half_given_date_range(client: TestClient) -> None:
    response = client.get("absences", params={"start": "2026-08-01"})
    assert response.status_code == 422
    assert error_fields(response) == {"end"}


def test_a_failed_replace_changes_nothing(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    created = client.post("shift-types", json=SHIFT).json()
    response = client.put(f"shift-types/{created['id']}", json={**SHIFT, "code": "OTHER"})
    assert response.status_code == 422
    assert error_fields(response) == {"code"}
    assert client.get(f"shift-types/{created['id']}").json() == created
    assert list_audit_events(factory=session_factory).total == 1
