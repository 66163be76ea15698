"""GET/PUT /program: everyone reads, coordinators change (audited); a rule looser than ACGME is
a 422 naming the request's field and the ACGME limit, and nothing is written. PUT on an empty
database creates the program."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from resched.core.model import Program
from resched.services import calendar, generation_settings
from resched.services.audit import list_audit_events
from tests.api.conftest import ClientAs, error_fields

pytestmark = pytest.mark.db
URL = "program"
BODY: dict[str, Any] = {
    "name": "Pediatrics",
    "timezone": "America/Denver",
    "freeze_horizon_days": 5,
    "rules": {
        "call_every_nth_night": 4,
        "night_float_max_consecutive": 5,
        "supervision_ratio": {"1": 1, "2": 3},
        "merge_gap_minutes": 150,
        "hours_per_week_limit": 76,
        "approaching_hours": 70,
        "averaging": "block",
    },
}


def test_put_on_an_empty_database_creates_the_program(
    client: TestClient, client_as: ClientAs
) -> None:
    assert client.get(URL).status_code == 404
    response = client.put(URL, json=BODY)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["name"], body["timezone"], body["freeze_horizon_days"]) == (
        "Pediatrics",
        "America/Denver",
        5,
    )
    rules = body["rules"]
    assert {k: rules[k] for k in BODY["rules"]} == BODY["rules"]
    # Settings left out take their ACGME default.
    assert (rules["free_day_every_n_days"], rules["max_continuous_hours"]) == (7, 24)
    assert client_as("resident").get(URL).json() == body


def test_an_update_keeps_the_generation_settings_and_is_audited(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    calendar.save_program(factory=session_factory, program=Program("Old", "America/Chicago"))
    weights = client.put("program/generation-settings", json={"max_heavy_run": 3})
    assert weights.status_code == 200
    assert client.put(URL, json=BODY).status_code == 200
    assert generation_settings.get_generation_settings(factory=session_factory).max_heavy_run == 3
    events = list_audit_events(factory=session_factory, entity="program").items
    update = events[-1]
    assert update.action == "update"
    assert update.before is not None
    assert update.after is not None
    assert (update.before["name"], update.after["name"]) == ("Old", "Pediatrics")
    assert update.before["rules"]["call_every_nth_night"] == 3
    assert update.after["rules"]["call_every_nth_night"] == 4


@pytest.mark.parametrize("role", ["resident", "faculty"])
def test_members_read_but_do_not_change(client_as: ClientAs, role: str) -> None:
    member = client_as(role)
    assert member.put(URL, json=BODY).status_code == 403
    assert member.get(URL).status_code == 404  # still no program


@pytest.mark.parametrize(
    ("rules", "path", "limit"),
    [
        ({"call_every_nth_night": 2}, "rules.call_every_nth_night", "at least 3"),
        ({"hours_per_week_limit": 88}, "rules.hours_per_week_limit", "at most 80"),
        ({"night_float_max_consecutive": 0}, "rules.night_float_max_consecutive", "at most 6"),
        ({"supervision_ratio": {"1": 3}}, "rules.supervision_ratio.1", "1:2"),
        ({"merge_gap_minutes": 90}, "rules.merge_gap_minutes", "at least 120"),
    ],
)
def test_a_looser_rule_is_a_422_naming_the_field_and_nothing_is_written(
    client: TestClient,
    session_factory: sessionmaker[Session],
    rules: dict[str, Any],
    path: str,
    limit: str,
) -> None:
    assert client.put(URL, json=BODY).status_code == 200
    audited = list_audit_events(factory=session_factory, entity="program").total
    response = client.put(URL, json={**BODY, "name": "Changed", "rules": rules})
    assert response.status_code == 422
    assert path in error_fields(response)
    messages = [e["message"] for e in response.json()["error"]["details"]["errors"]]
    assert any("ACGME" in m and limit in m for m in messages)
    assert client.get(URL).json()["name"] == "Pediatrics"
    assert list_audit_events(factory=session_factory, entity="program").total == audited


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"name": "  "}, "name"),
        ({"rules": {"call_every_nth_night": "4"}}, "rules.call_every_nth_night"),
        ({"rules": {"averaging": "weekly"}}, "rules.averaging"),
        ({"rules": {"supervision_ratio": {"x": 2}}}, "rules.supervision_ratio.x"),
        ({"rules": {"calls": 4}}, "rules.calls"),
    ],
)
def test_bad_input_is_a_422_naming_the_request_field(
    client: TestClient, change: dict[str, Any], path: str
) -> None:
    response = client.put(URL, json={**BODY, **change})
    assert response.status_code == 422, response.text
    assert any(f.startswith(path) for f in error_fields(response)), error_fields(response)
    assert client.get(URL).status_code == 404


def test_the_change_policy_is_stored_and_bounded(client: TestClient) -> None:
    policy = {"auto_approve_changes": False, "undo_window_hours": 48}
    response = client.put(URL, json={**BODY, **policy})
    assert response.status_code == 200, response.text
    assert {k: client.get(URL).json()[k] for k in policy} == policy
    for bad in ({"undo_window_hours": 169}, {"undo_window_hours": -1}, {"auto_approve_changes": 1}):
        refused = client.put(URL, json={**BODY, **bad})
        assert refused.status_code == 422, refused.text
        assert any(next(iter(bad)) in f for f in error_fields(refused))
    assert {k: client.get(URL).json()[k] for k in policy} == policy


def test_the_jeopardy_shift_names_a_shift_type(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    assert client.put(URL, json=BODY).status_code == 200
    assert client.get(URL).json()["jeopardy_shift"] is None
    made = client.post(
        "shift-types",
        json={"code": "JEOP", "name": "Jeopardy", "start": "17:00", "minutes": 840, "kind": "work"},
    )
    assert made.status_code == 201, made.text
    response = client.put(URL, json={**BODY, "jeopardy_shift": "JEOP"})
    assert response.status_code == 200, response.text
    assert client.get(URL).json()["jeopardy_shift"] == "JEOP"
    refused = client.put(URL, json={**BODY, "jeopardy_shift": "NOPE"})
    assert refused.status_code == 422
    assert error_fields(refused) == {"jeopardy_shift"}
    assert "NOPE" in refused.text
    assert client.get(URL).json()["jeopardy_shift"] == "JEOP"  # nothing written
    assert client.put(URL, json={**BODY, "jeopardy_shift": ""}).json()["jeopardy_shift"] is None
