"""Numbers and dates past what the database or the calendar can hold get a 422 naming the
parameter (they used to be 500s), and values of the wrong type are refused rather than
coerced (``to=0`` read as 1970-01-01, ``num_workers: false`` as 0)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from resched.db.tables import UserRole
from tests.api.conftest import ClientAs, error_fields
from tests.api.test_crud import SHIFT
from tests.job_helpers import RecordingQueue

LIST_ROUTES = [
    "people",
    "shift-types",
    "rotations",
    "coverage-requirements",
    "absences",
    "users",
    "audit-events",
    "schedules",
    "jobs",
]
HUGE = "99999999999999999999"  # past 64 bits: overflowed the drivers
NOT_A_DAY = ["0", "-9e-88", "20260701", "2026-07-01T00:00", "1e400"]


@pytest.fixture
def admin(client_as: ClientAs) -> TestClient:
    return client_as(UserRole.ADMIN)


@pytest.fixture
def queue(app: FastAPI) -> RecordingQueue:
    recorder = RecordingQueue()
    app.state.job_queue = recorder
    return recorder


@pytest.mark.parametrize("offset", [HUGE, str(2**31), "-1"])
@pytest.mark.parametrize("path", LIST_ROUTES)
def test_offsets_outside_the_database_range_are_refused(
    admin: TestClient, path: str, offset: str
) -> None:
    response = admin.get(path, params={"offset": offset})
    assert response.status_code == 422, response.text
    assert error_fields(response) == {"offset"}


@pytest.mark.parametrize("path", LIST_ROUTES)
def test_the_largest_offset_is_an_empty_page(admin: TestClient, path: str) -> None:
    response = admin.get(path, params={"offset": 2**31 - 1})
    assert response.status_code == 200, response.text
    assert response.json()["items"] == []


@pytest.mark.parametrize(
    "path",
    ["people/{}", "schedules/{}/interchange", "jobs/{}/result", "generations/{}", "users/{}"],
)
def test_ids_outside_the_database_range_are_refused(admin: TestClient, path: str) -> None:
    for item in (HUGE, str(2**31)):
        response = admin.get(path.format(item))
        assert response.status_code == 422, response.text
    assert admin.get(path.format(2**31 - 1)).status_code == 404


def test_the_audit_trail_takes_the_whole_calendar(admin: TestClient) -> None:
    assert admin.post("shift-types", json=SHIFT).status_code == 201
    response = admin.get("audit-events", params={"from": "0001-01-01", "to": "9999-12-31"})
    assert response.status_code == 200, response.text
    events = response.json()["items"]
    assert [(event["action"], event["entity"]) for event in events] == [("create", "shift_type")]
    assert admin.get("audit-events", params={"from": "9999-12-31"}).json()["total"] == 0


@pytest.mark.parametrize("value", NOT_A_DAY)
def test_query_dates_are_iso_days(admin: TestClient, value: str) -> None:
    response = admin.get("audit-events", params={"to": value})
    assert response.status_code == 422, response.text
    assert error_fields(response) == {"to"}
    response = admin.get("absences", params={"start": value, "end": "2026-07-01"})
    assert response.status_code == 422, response.text
    assert error_fields(response) == {"start"}


@pytest.mark.parametrize("as_of", [-9e-88, 0, True, "0", "2026-07-01T00:00"])
def test_the_fairness_day_is_a_date(client: TestClient, queue: RecordingQueue, as_of: Any) -> None:
    response = client.post("reports/fairness", json={"as_of": as_of})
    assert response.status_code == 422, response.text
    assert error_fields(response) == {"as_of"}
    assert queue.sent == []
    accepted = client.post("reports/fairness", json={"as_of": "2026-07-01"})
    assert accepted.status_code == 202
    assert accepted.json()["parameters"] == {"as_of": "2026-07-01"}


@pytest.mark.parametrize(
    ("changes", "field_name"),
    [
        ({"num_workers": False}, "num_workers"),
        ({"num_workers": 1.0}, "num_workers"),
        ({"seed": True}, "seed"),
        ({"block": "1"}, "block"),
        ({"time_limit_s": True}, "time_limit_s"),
        ({"start": 0, "end": "2026-07-01"}, "start"),
        ({"weights": {"fairness": 10**30}}, "weights.fairness"),
    ],
)
def test_generation_numbers_are_strict(
    client: TestClient, queue: RecordingQueue, changes: dict[str, Any], field_name: str
) -> None:
    response = client.post("generations", json={"kind": "shifts", **changes})
    assert response.status_code == 422, response.text
    assert field_name in error_fields(response)
    assert queue.sent == []


def test_user_activity_is_a_strict_boolean(admin: TestClient, client_as: ClientAs) -> None:
    user_id = admin.get("auth/me").json()["id"]
    response = admin.patch(f"users/{user_id}", json={"active": 0})
    assert response.status_code == 422
    assert error_fields(response) == {"active"}


@pytest.mark.parametrize("start", ["07:00Z", "07:00:00+02:00", 25200, "7:00", "07:00:00.5"])
def test_a_shift_starts_at_a_local_wall_clock_time(client: TestClient, start: Any) -> None:
    response = client.post("shift-types", json={**SHIFT, "start": start})
    assert response.status_code == 422, response.text
    assert error_fields(response) == {"start"}


def test_shift_start_matches_its_declared_schema(client: TestClient, app: FastAPI) -> None:
    created = client.post("shift-types", json={**SHIFT, "start": "07:00"})
    assert created.status_code == 201
    assert created.json()["start"] == "07:00:00"
    declared = app.openapi()["components"]["schemas"]["ShiftTypeOut"]["properties"]["start"]
    # format: time (RFC 3339 full-time) would need an offset; a wall-clock time has none.
    assert "format" not in declared
    assert declared["type"] == "string"
    assert declared["pattern"] == "^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"
