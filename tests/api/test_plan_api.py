"""GET /academic-years/{id}/plan and PUT /academic-years/{id}/plan/cells: the plan as data for
every reader (drafts only for those who see drafts), one cell changed or locked by a
coordinator with a dry run first, 422s naming the field with nothing written, audited."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from resched.core.model import BlockAssignment, ScheduleStatus
from resched.db.repositories.generation import set_status
from resched.services import people
from resched.services.audit import list_audit_events
from resched.services.rotation_plan import ACTION
from tests import builders
from tests.api.conftest import ClientAs, error_fields
from tests.conftest import StatementCounter
from tests.plan_data import StoredPlan, store_demo_plan, store_peds, store_plan

pytestmark = pytest.mark.db
Factory = sessionmaker[Session]


@pytest.fixture
def peds(session_factory: Factory) -> StoredPlan:
    return store_peds(session_factory)


def _url(plan: StoredPlan) -> str:
    return f"academic-years/{plan.year_id}/plan"


def _edits(factory: Factory) -> int:
    events = list_audit_events(factory=factory, limit=100).items
    return sum(1 for e in events if e.action == ACTION)


def _cell(plan: dict[str, Any], person_id: int, block: int) -> list[dict[str, Any]]:
    (row,) = [r for r in plan["residents"] if r["person_id"] == person_id]
    return [c for c in row["cells"] if c["block"] == block]


@pytest.mark.parametrize("role", ["resident", "faculty", "coordinator"])
def test_every_reader_gets_the_published_plan(
    client_as: ClientAs, peds: StoredPlan, role: str
) -> None:
    response = client_as(role).get(_url(peds))
    assert response.status_code == 200, response.json()
    plan = response.json()
    assert plan["version"] == {"id": peds.version_id, "status": "published", "label": "hand plan"}
    assert [b["number"] for b in plan["blocks"]] == list(range(1, 13))
    assert plan["blocks"][0] == {
        "number": 1,
        "name": plan["blocks"][0]["name"],
        "start": "2026-07-01",
        "end": "2026-07-31",
    }
    assert [r["person_id"] for r in plan["residents"]] == list(peds.residents)
    assert [r["pgy"] for r in plan["residents"]] == [1, 1, 2, 2, 3]
    first = peds.residents[0]
    assert _cell(plan, first, 2) == [
        {"block": 2, "half": None, "rotation_code": "PICU", "locked": False}
    ]


def test_drafts_only_for_those_who_see_drafts(
    client: TestClient, client_as: ClientAs, session_factory: Factory, peds: StoredPlan
) -> None:
    draft = store_plan(session_factory, peds.year_id, list(peds.plan), ScheduleStatus.DRAFT)
    url = f"{_url(peds)}?version={draft}"
    assert client.get(url).json()["version"]["status"] == "draft"
    for role in ("resident", "faculty"):
        assert client_as(role).get(url).status_code == 404
    assert client.get(f"academic-years/{peds.year_id + 1}/plan").status_code == 404


def test_a_year_with_only_a_draft_shows_members_no_plan(
    client: TestClient, client_as: ClientAs, session_factory: Factory, peds: StoredPlan
) -> None:
    with session_factory.begin() as session:
        set_status(session, peds.version_id, ScheduleStatus.DRAFT)
    assert client.get(_url(peds)).json()["version"]["status"] == "draft"
    shown = client_as("resident").get(_url(peds)).json()
    assert shown["version"] is None
    assert shown["residents"]
    assert all(r["cells"] == [] for r in shown["residents"])


def test_dry_run_then_save_then_lock(
    client: TestClient, session_factory: Factory, peds: StoredPlan
) -> None:
    first = peds.residents[0]
    body = {"person_id": first, "block": 2, "rotation_code": "NURS", "dry_run": True}
    dry = client.put(f"{_url(peds)}/cells", json=body)
    assert dry.status_code == 200, dry.json()
    result = dry.json()
    assert result["saved"] is False
    assert result["breaks"] == 2
    assert result["before"] == [
        {"block": 2, "half": None, "rotation_code": "PICU", "locked": False}
    ]
    assert result["after"] == [{"block": 2, "half": None, "rotation_code": "NURS", "locked": False}]
    assert result["findings"][0] == {
        "kind": "capacity",
        "effect": "breaks",
        "message": "block 2 (1st half): 3 PGY-1..3 residents on Nursery, more than its "
        "maximum of 2",
    }
    assert _edits(session_factory) == 0

    unconfirmed = client.put(f"{_url(peds)}/cells", json={**body, "dry_run": False, "reason": "x"})
    assert unconfirmed.status_code == 422
    assert error_fields(unconfirmed) == {"confirm"}
    assert _edits(session_factory) == 0

    saved = client.put(
        f"{_url(peds)}/cells",
        json={**body, "dry_run": False, "reason": "sick cover", "confirm": True},
    )
    assert saved.status_code == 200, saved.json()
    assert saved.json()["saved"] is True
    locked = {"person_id": first, "block": 2, "rotation_code": "NURS", "locked": True}
    assert client.put(f"{_url(peds)}/cells", json={**locked, "reason": "fixed"}).status_code == 200
    assert _cell(client.get(_url(peds)).json(), first, 2) == [
        {"block": 2, "half": None, "rotation_code": "NURS", "locked": True}
    ]
    assert _edits(session_factory) == 2


def test_half_blocks_through_the_api(client: TestClient, peds: StoredPlan) -> None:
    first = peds.residents[0]
    body = {"person_id": first, "block": 4, "half": 2, "rotation_code": "CLIN", "reason": "r"}
    assert client.put(f"{_url(peds)}/cells", json=body).status_code == 200
    assert _cell(client.get(_url(peds)).json(), first, 4) == [
        {"block": 4, "half": 1, "rotation_code": "NURS", "locked": False},
        {"block": 4, "half": 2, "rotation_code": "CLIN", "locked": False},
    ]


BAD: list[tuple[dict[str, Any], str]] = [
    ({"rotation_code": "NOPE"}, "rotation_code"),
    ({"rotation_code": "no pe!"}, "rotation_code"),
    ({"person_id": 99999}, "person_id"),
    ({"block": 13}, "block"),
    ({"block": 0}, "block"),
    ({"half": 3}, "half"),
    ({"rotation_code": None, "locked": True}, "locked"),
    ({"version_id": 99999}, "version_id"),
    ({"reason": "x" * 501}, "reason"),
    ({"colour": "red"}, "colour"),
]


@pytest.mark.parametrize(("change", "field"), BAD)
def test_bad_cells_are_422_naming_the_field_and_write_nothing(
    client: TestClient,
    session_factory: Factory,
    peds: StoredPlan,
    change: dict[str, Any],
    field: str,
) -> None:
    body = {"person_id": peds.residents[0], "block": 1, "rotation_code": "CLIN", "reason": "r"}
    response = client.put(f"{_url(peds)}/cells", json={**body, **change})
    assert response.status_code in (404, 422), response.json()
    assert field in error_fields(response), response.json()
    assert _edits(session_factory) == 0
    plan = client.get(_url(peds)).json()
    assert _cell(plan, peds.residents[0], 1)[0]["rotation_code"] == "PW"


def test_a_faculty_member_is_not_a_resident_of_the_plan(
    client: TestClient, session_factory: Factory
) -> None:
    demo = store_demo_plan(session_factory)
    people = client.get("people", params={"limit": 200}).json()["items"]
    faculty = next(p for p in people if p["role"] == "faculty")
    body = {"person_id": faculty["id"], "block": 1, "rotation_code": "ICU", "dry_run": True}
    response = client.put(f"{_url(demo)}/cells", json=body)
    assert response.status_code == 422
    assert error_fields(response) == {"person_id"}


@pytest.mark.parametrize("role", ["resident", "faculty"])
def test_members_cannot_change_the_plan(
    client_as: ClientAs, session_factory: Factory, peds: StoredPlan, role: str
) -> None:
    body = {"person_id": peds.residents[0], "block": 1, "rotation_code": "CLIN", "dry_run": True}
    response = client_as(role).put(f"{_url(peds)}/cells", json=body)
    assert response.status_code == 403
    assert _edits(session_factory) == 0


def test_the_demo_plan_through_the_api(client: TestClient, session_factory: Factory) -> None:
    demo = store_demo_plan(session_factory)
    plan = client.get(_url(demo)).json()
    assert len(plan["blocks"]) == 13
    assert len(plan["residents"]) == 36
    person = demo.residents[0]
    body = {"person_id": person, "block": 1, "rotation_code": "ICU", "dry_run": True}
    dry = client.put(f"{_url(demo)}/cells", json=body).json()
    assert all(f["message"] for f in dry["findings"])
    half = client.put(f"{_url(demo)}/cells", json={**body, "half": 1})
    assert half.status_code == 422
    assert error_fields(half) == {"half"}  # no demo rotation allows half blocks


def test_reading_the_plan_does_not_grow_with_residents_or_cells(
    client: TestClient,
    session_factory: Factory,
    statement_counter: StatementCounter,
    peds: StoredPlan,
) -> None:
    def fetch() -> None:
        assert client.get(_url(peds)).status_code == 200

    small = statement_counter.count(fetch)
    for n in range(6, 16):
        profile = builders.resident(f"p{n}", peds.year_id, 2)
        people.create_person(factory=session_factory, profile=profile)
    everyone = [p["person_id"] for p in client.get(_url(peds)).json()["residents"]]
    assert len(everyone) == 15
    cells = [BlockAssignment(pid, b, "PW") for pid in everyone for b in range(1, 13)]
    store_plan(session_factory, peds.year_id, cells)
    large = statement_counter.count(fetch)
    assert small == large, statement_counter.statements
