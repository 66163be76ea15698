"""GET/PUT /program/generation-settings: everyone reads, coordinators change, bad names are a
422 naming the field."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from resched.core.solver.plan import DEFAULT_WEIGHTS as PLAN_DEFAULTS
from resched.core.solver.shifts import DEFAULT_WEIGHTS as SHIFT_DEFAULTS
from tests.api.conftest import ClientAs, error_fields
from tests.generation_data import store_tiny

pytestmark = pytest.mark.db
URL = "program/generation-settings"
BODY: dict[str, Any] = {
    "plan_weights": {"heavy_streak": 8},
    "shift_weights": {"weekend_free": 12, "fair_calls": 0},
    "heavy_rotations": ["WARDS"],
    "max_heavy_run": 3,
    "weekend_rotations": ["WARDS"],
    "catch_up": 2,
}


@pytest.fixture(autouse=True)
def _tiny(session_factory: sessionmaker[Session]) -> None:
    store_tiny(session_factory)


def test_defaults_are_read_with_every_effective_weight(client: TestClient) -> None:
    response = client.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert (body["plan_weights"], body["shift_weights"]) == ({}, {})
    assert (body["heavy_rotations"], body["weekend_rotations"]) == ([], [])
    assert body["max_heavy_run"] == 2
    assert body["catch_up"] == 1  # a resident behind the year takes at most 1 more a block
    assert body["effective_weights"] == {"plan": PLAN_DEFAULTS, "shifts": SHIFT_DEFAULTS}


def test_a_coordinator_replaces_the_settings(client: TestClient, client_as: ClientAs) -> None:
    response = client.put(URL, json=BODY)
    assert response.status_code == 200, response.text
    body = response.json()
    assert {k: body[k] for k in BODY} == BODY
    assert body["effective_weights"]["plan"] == {**PLAN_DEFAULTS, "heavy_streak": 8}
    assert body["effective_weights"]["shifts"]["fair_calls"] == 0
    assert client_as("resident").get(URL).json() == body


@pytest.mark.parametrize("role", ["resident", "faculty"])
def test_members_read_but_do_not_change(client_as: ClientAs, role: str) -> None:
    member = client_as(role)
    assert member.get(URL).status_code == 200
    assert member.put(URL, json=BODY).status_code == 403


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"plan_weights": {"heavy_streek": 1}}, "plan_weights"),
        ({"shift_weights": {"split_block": 1}}, "shift_weights"),
        ({"heavy_rotations": ["ICU"]}, "heavy_rotations"),
        ({"weekend_rotations": ["NOPE"]}, "weekend_rotations"),
    ],
)
def test_unknown_names_are_a_422_naming_the_field(
    client: TestClient, change: dict[str, Any], field: str
) -> None:
    response = client.put(URL, json={**BODY, **change})
    assert response.status_code == 422
    assert field in error_fields(response)
    assert client.get(URL).json()["plan_weights"] == {}


def test_request_validation_refuses_negative_weights(client: TestClient) -> None:
    response = client.put(URL, json={**BODY, "plan_weights": {"heavy_streak": -1}})
    assert response.status_code == 422
    assert any(f.startswith("plan_weights") for f in error_fields(response))


def test_rest_between_shifts_defaults_to_10_hours_and_the_default_sequences(
    client: TestClient,
) -> None:
    body = client.get(URL).json()
    assert body["min_rest_hours"] == 10
    assert {"first": "half-day", "next": "half-day"} in body["allowed_sequences"]
    assert {"first": "kind:work", "next": "kind:at_home_call"} in body["allowed_sequences"]


def test_the_rest_setting_is_stored(client: TestClient) -> None:
    sequences = [{"first": "DAY", "next": "kind:at_home_call"}]
    change = {"min_rest_hours": 12, "allowed_sequences": sequences}
    response = client.put(URL, json={**BODY, **change})
    assert response.status_code == 200, response.text
    assert client.get(URL).json()["min_rest_hours"] == 12
    assert client.get(URL).json()["allowed_sequences"] == sequences


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"min_rest_hours": 25}, "min_rest_hours"),
        ({"min_rest_hours": -1}, "min_rest_hours"),
        ({"min_rest_hours": "ten"}, "min_rest_hours"),
        ({"allowed_sequences": [{"first": "NOPE", "next": "DAY"}]}, "allowed_sequences[0].first"),
        (
            {"allowed_sequences": [{"first": "DAY", "next": "kind:sleep"}]},
            "allowed_sequences[0].next",
        ),
        ({"allowed_sequences": [{"first": "DAY"}]}, "allowed_sequences[0].next"),
    ],
)
def test_a_bad_rest_setting_is_a_422_naming_it(
    client: TestClient, change: dict[str, Any], field: str
) -> None:
    response = client.put(URL, json={**BODY, **change})
    assert response.status_code == 422, response.text
    assert any(f.startswith(field) for f in error_fields(response)), error_fields(response)
    assert client.get(URL).json()["min_rest_hours"] == 10
