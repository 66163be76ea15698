"""Create, read, replace, list and delete through HTTP, for every resource."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from resched.services import calendar
from resched.services.audit import list_audit_events
from tests import builders
from tests.api.conftest import error_fields

SHIFT = {"code": "DAY", "name": "Day", "start": "07:00:00", "minutes": 600, "kind": "work"}
ROTATION = {
    "code": "ICU",
    "name": "Intensive care",
    "weekly_pattern": {"1": ["DAY"], "2": ["DAY"]},
    "capacities": [{"pgy_min": 1, "pgy_max": 3, "min_count": 1, "max_count": 4}],
    "requirements": [{"pgy": 1, "min_blocks": 1, "max_blocks": 2}],
    "weekly_quotas": [{"shift_codes": ["DAY"], "min_count": 0, "max_count": 2}],
    "colour": "#d62728",
}
COVERAGE = {
    "name": "Day cover",
    "shift_code": "DAY",
    "weekdays": [1, 2, 3],
    "min_count": 1,
    "max_count": 2,
    "eligibility": {"roles": ["resident"], "pgy_min": 2},
}


def _crud(client: TestClient, path: str, body: dict[str, Any], change: dict[str, Any]) -> None:
    created = client.post(path, json=body)
    assert created.status_code == 201, created.json()
    item = created.json()
    assert client.get(f"{path}/{item['id']}").json() == item
    replaced = client.put(f"{path}/{item['id']}", json={**body, **change})
    assert replaced.status_code == 200, replaced.json()
    assert {k: replaced.json()[k] for k in change} == change
    listed = client.get(path).json()
    assert (listed["total"], listed["limit"], listed["offset"]) == (1, 50, 0)
    assert listed["items"] == [replaced.json()]
    assert client.delete(f"{path}/{item['id']}").status_code == 204
    assert client.get(f"{path}/{item['id']}").status_code == 404
    assert client.delete(f"{path}/{item['id']}").status_code == 404


def test_shift_types(client: TestClient) -> None:
    _crud(client, "shift-types", SHIFT, {"minutes": 720, "transition_minutes": 60})


def test_rotations(client: TestClient) -> None:
    client.post("shift-types", json=SHIFT)
    _crud(client, "rotations", ROTATION, {"capacities": [], "leave_eligible": True})


def test_coverage_requirements(client: TestClient) -> None:
    client.post("shift-types", json=SHIFT)
    _crud(client, "coverage-requirements", COVERAGE, {"weekdays": [6, 7], "max_count": 5})


def test_coverage_requirements_with_dates(client: TestClient) -> None:
    client.post("shift-types", json=SHIFT)
    every_day = {**COVERAGE, "weekdays": [1, 2, 3, 4, 5, 6, 7], "except_dates": ["2026-10-31"]}
    # Dates come back as ISO dates, sorted, whatever order they were sent in.
    change = {"dates": ["2026-10-31", "2027-03-13"], "except_dates": []}
    _crud(client, "coverage-requirements", every_day, change)
    sent = client.post(
        "coverage-requirements", json={**every_day, "dates": ["2027-03-13", "2026-10-30"]}
    ).json()
    assert (sent["dates"], sent["except_dates"]) == (["2026-10-30", "2027-03-13"], ["2026-10-31"])


def test_coverage_requirements_with_a_holiday_rule(client: TestClient) -> None:
    """Absent means "any": bodies written before the field keep their meaning."""
    client.post("shift-types", json=SHIFT)
    closed = {**COVERAGE, "holidays": "not_on_holidays"}
    _crud(client, "coverage-requirements", closed, {"holidays": "holidays_only"})
    assert client.post("coverage-requirements", json=COVERAGE).json()["holidays"] == "any"


def test_people(client: TestClient, session_factory: sessionmaker[Session]) -> None:
    year = calendar.store_academic_year(factory=session_factory, year=builders.academic_year())
    body = {
        "code": "r1",
        "name": "Ada",
        "role": "resident",
        "email": "ada@example.org",
        "credentials": ["BLS"],
        "years": [{"academic_year_id": year.id, "pgy": 1}],
    }
    _crud(client, "people", body, {"years": [{"academic_year_id": year.id, "pgy": 2}]})


@pytest.mark.parametrize("number", ["+1 (312) 555-0100 x12", "4-1234", "#321", "555.0100"])
def test_people_phone_and_pager(client: TestClient, number: str) -> None:
    body = {"code": "r1", "name": "Ada", "role": "resident", "phone": number, "pager": number}
    created = client.post("people", json=body)
    assert created.status_code == 201, created.text
    assert (created.json()["phone"], created.json()["pager"]) == (number, number)
    read = client.get(f"people/{created.json()['id']}").json()
    assert (read["phone"], read["pager"]) == (number, number)
    cleared = client.put(f"people/{read['id']}", json={**body, "phone": None}).json()
    assert (cleared["phone"], cleared["pager"]) == (None, number)


@pytest.mark.parametrize(
    ("field", "number"),
    [
        ("phone", "call me"),
        ("pager", "4" * 33),
        ("phone", ""),
        ("pager", "12\n34"),
        ("phone", 5550100),
    ],
)
def test_people_bad_phone_or_pager_is_a_422_at_its_field(
    client: TestClient, field: str, number: object
) -> None:
    body = {"code": "r1", "name": "Ada", "role": "resident", field: number}
    response = client.post("people", json=body)
    assert response.status_code == 422
    assert error_fields(response) == {field}
    assert client.get("people").json()["total"] == 0


def test_absences(client: TestClient) -> None:
    person = client.post("people", json={"code": "r1", "name": "Ada", "role": "resident"}).json()
    body = {
        "person_id": person["id"],
        "start": "2026-08-03",
        "end": "2026-08-07",
        "type": "vacation",
    }
    # A coordinator enters and edits an approved absence directly (not a request).
    approved = {**body, "status": "approved"}
    _crud(client, "absences", approved, {"end": "2026-08-08", "note": "approved by PD"})


@pytest.mark.parametrize(("status", "verb"), [("approved", "approve"), ("denied", "deny")])
def test_a_request_is_decided_by_the_leave_decision_not_by_put(
    client: TestClient, status: str, verb: str
) -> None:
    person = client.post("people", json={"code": "r1", "name": "Ada", "role": "resident"}).json()
    body = {"person_id": person["id"], "start": "2026-08-03", "end": "2026-08-07"}
    request = client.post("absences", json={**body, "type": "vacation"}).json()
    assert request["status"] == "requested"
    path = f"absences/{request['id']}"

    refused = client.put(path, json={**body, "type": "vacation", "status": status})

    assert refused.status_code == 409
    error = refused.json()["error"]
    assert f"POST /api/v1/absences/{request['id']}/{verb}" in error["message"]
    assert error["details"]["decision"] == f"/api/v1/absences/{request['id']}/{verb}"
    assert error_fields(refused) == {"status"}
    assert client.get(path).json() == request
    # Still a request, it can be changed or withdrawn as before.
    moved = client.put(path, json={**body, "type": "conference"})
    assert (moved.status_code, moved.json()["status"]) == (200, "requested")
    decision = {"reason": "Decided"} | ({"accept_repair": False} if verb == "approve" else {})
    decided = client.post(f"{path}/{verb}", json=decision)
    assert decided.status_code == 200, decided.text
    assert decided.json()["absence"]["status"] == status


def test_writes_are_audited(client: TestClient, session_factory: sessionmaker[Session]) -> None:
    item = client.post("shift-types", json=SHIFT).json()
    client.put(f"shift-types/{item['id']}", json={**SHIFT, "minutes": 480})
    events = list_audit_events(factory=session_factory, entity="shift_type").items
    assert [e.action for e in events] == ["create", "update"]
    assert events[1].before is not None
    assert events[1].before["minutes"] == 600
    assert events[1].after is not None
    assert events[1].after["minutes"] == 480


def test_pagination_and_filters(client: TestClient) -> None:
    for n in range(5):
        client.post("people", json={"code": f"r{n}", "name": "R", "role": "resident"})
    client.post("people", json={"code": "f1", "name": "F", "role": "faculty", "active": False})
    page = client.get("people", params={"limit": 2, "offset": 4}).json()
    assert [p["code"] for p in page["items"]] == ["r3", "r4"]
    assert (page["total"], page["limit"], page["offset"]) == (6, 2, 4)
    assert client.get("people", params={"role": "faculty"}).json()["total"] == 1
    assert client.get("people", params={"active": "true"}).json()["total"] == 5


def test_people_by_level_in_a_year(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    year = calendar.store_academic_year(factory=session_factory, year=builders.academic_year())
    for n, pgy in enumerate((1, 2, 2)):
        years = [{"academic_year_id": year.id, "pgy": pgy}]
        client.post(
            "people", json={"code": f"r{n}", "name": "R", "role": "resident", "years": years}
        )
    second = client.get("people", params={"academic_year_id": year.id, "pgy": 2}).json()
    assert [p["code"] for p in second["items"]] == ["r1", "r2"]
    alone = client.get("people", params={"pgy": 2})
    assert alone.status_code == 422
    assert alone.json()["error"]["details"]["field"] == "pgy"


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [("2026-08-07", "2026-08-20", 1), ("2026-08-08", "2026-08-20", 0)],
)
def test_absences_in_a_range(client: TestClient, start: str, end: str, expected: int) -> None:
    person = client.post("people", json={"code": "r1", "name": "Ada", "role": "resident"}).json()
    client.post(
        "absences",
        json={
            "person_id": person["id"],
            "start": "2026-08-03",
            "end": "2026-08-07",
            "type": "sick",
        },
    )
    listed = client.get("absences", params={"start": start, "end": end})
    assert listed.json()["total"] == expected


def test_conflicts(client: TestClient) -> None:
    client.post("shift-types", json=SHIFT)
    duplicate = client.post("shift-types", json=SHIFT)
    assert duplicate.status_code == 409
    assert duplicate.json()["error"]["details"]["field"] == "code"
    shift_id = client.get("shift-types").json()["items"][0]["id"]
    client.post("rotations", json=ROTATION)
    in_use = client.delete(f"shift-types/{shift_id}")
    assert in_use.status_code == 409
    assert in_use.json()["error"]["details"]["used_by"] == ["rotation ICU"]
    after_icu = client.post(
        "rotations", json={**ROTATION, "code": "NICU", "prerequisites": ["ICU"]}
    )
    assert after_icu.status_code == 201, after_icu.json()
    assert after_icu.json()["prerequisites"] == ["ICU"]
    icu_id = next(r["id"] for r in client.get("rotations").json()["items"] if r["code"] == "ICU")
    needed = client.delete(f"rotations/{icu_id}")
    assert needed.status_code == 409
    assert needed.json()["error"]["details"]["used_by"] == ["rotation NICU"]
