"""Residents and faculty see only their own absences in every read that carries absences: the
interchange export, the compliance report (API and page); coordinators see all of them.

Ada (r1) has approved sick leave on days she is scheduled, Ben (r2) a vacation day he is
scheduled on; the resident signed in is Ben."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from resched.core.model import AbsenceType
from resched.db.tables import PersonRow
from resched.services.absences import create_absence
from resched.services.read_cache import clear_read_caches
from resched.services.schedule_import import import_schedule
from tests import builders
from tests.accounts import add_user, page_client
from tests.api.conftest import ClientAs
from tests.schedule_data import publish, store_program, troubled_doc

pytestmark = pytest.mark.db


@dataclass(frozen=True)
class Scene:
    version_id: int
    ada: int
    ben: int


@pytest.fixture
def scene(app: FastAPI) -> Scene:
    factory = app.state.session_factory
    stored = store_program(factory)
    version = import_schedule(factory=factory, document=troubled_doc()).version
    publish(factory, version.id)
    ada, ben = stored.person_ids["r1"], stored.person_ids["r2"]
    sick = builders.absence(
        ada, days=2, start=dt.date(2026, 7, 2), end=dt.date(2026, 7, 3), type=AbsenceType.SICK
    )
    vacation = builders.absence(ben, days=1, start=dt.date(2026, 7, 6), end=dt.date(2026, 7, 6))
    create_absence(factory=factory, absence=sick)
    create_absence(factory=factory, absence=vacation)
    return Scene(version.id, ada, ben)


def _absences(client: TestClient, scene: Scene) -> list[tuple[str, str]]:
    response = client.get(f"schedules/{scene.version_id}/interchange")
    assert response.status_code == 200, response.text
    return sorted((a["person"], a["type"]) for a in response.json()["absences"])


def _conflicts(client: TestClient, scene: Scene) -> dict[str, list[str]]:
    response = client.get(f"schedules/{scene.version_id}/compliance")
    assert response.status_code == 200, response.text
    found: dict[str, list[str]] = {}
    for finding in response.json()["findings"]:
        if finding["rule"] == "absence-conflict":
            found.setdefault(finding["person"], []).append(finding["message"])
    return found


def test_a_resident_exports_only_their_own_absences(
    client_as: ClientAs, client: TestClient, scene: Scene
) -> None:
    ben = client_as("resident", person_id=scene.ben)
    assert _absences(ben, scene) == [("r2", "vacation")]
    assert _absences(client, scene) == [("r1", "sick"), ("r2", "vacation")]


def test_faculty_without_absences_export_none(client_as: ClientAs, scene: Scene) -> None:
    assert _absences(client_as("faculty"), scene) == []


def test_compliance_keeps_every_finding_but_not_others_absence_details(
    client_as: ClientAs, client: TestClient, scene: Scene
) -> None:
    coordinator_view = _conflicts(client, scene)
    resident_view = _conflicts(client_as("resident", person_id=scene.ben), scene)
    # The same findings for every reader: compliance does not depend on who asks.
    assert {p: len(m) for p, m in resident_view.items()} == {
        p: len(m) for p, m in coordinator_view.items()
    }
    assert set(coordinator_view) == {"r1", "r2"}
    assert all("sick" in m for m in coordinator_view["r1"])
    for message in resident_view["r1"]:
        assert "sick" not in message
        assert "overlaps approved leave by" in message
        assert "Jul" not in message.split(" overlaps ", 1)[1], "no span of the absence"
    assert all("vacation" in m for m in resident_view["r2"]), "their own, in full"


def test_the_compliance_page_hides_others_leave_details(app: FastAPI, scene: Scene) -> None:
    ben = add_user(app.state.session_factory, "resident", person_id=scene.ben)
    coordinator = add_user(app.state.session_factory, "coordinator")
    with page_client(app, ben) as resident_page, page_client(app, coordinator) as coord_page:
        theirs = resident_page.get("/compliance", params={"version": scene.version_id})
        full = coord_page.get("/compliance", params={"version": scene.version_id})
    assert theirs.status_code == full.status_code == 200
    assert "sick" in full.text
    assert "sick" not in theirs.text
    assert "overlaps approved leave" in theirs.text
    assert 'title="2 leave days"' in full.text  # Ada's sick days in her first week
    assert 'title="2 leave days"' not in theirs.text
    assert 'title="1 leave day"' in theirs.text  # Ben's own vacation day


def _main(html: str) -> str:
    """The page's <main>, without the per-session CSRF token of its forms."""
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r'name="csrf_token" value="[^"]*"', "", main)


@pytest.mark.parametrize("order", ["ben first", "others first"])
def test_each_reader_sees_their_own_leave_whatever_the_order_of_the_views(
    app: FastAPI, scene: Scene, order: str
) -> None:
    """The page is kept rendered per view and the readers the page tells nothing about their
    own leave share one: whoever reads first, each reader's page is the one built afresh for
    them alone, and Ben's leave never reaches another resident's page."""
    factory = app.state.session_factory
    with factory() as session:
        r3 = session.scalar(select(PersonRow.id).where(PersonRow.code == "r3"))
    readers = {
        "ben": add_user(factory, "resident", person_id=scene.ben),
        "cy": add_user(factory, "resident", person_id=r3),
        "no person": add_user(factory, "resident"),
        "coordinator": add_user(factory, "coordinator"),
    }
    names = sorted(readers, reverse=order == "ben first")
    if order == "ben first":
        names.remove("ben")
        names.insert(0, "ben")
    params = {"version": scene.version_id}
    seen: dict[str, str] = {}
    for name in names:
        with page_client(app, readers[name]) as client:
            seen[name] = _main(client.get("/compliance", params=params).text)
    for name in names:
        clear_read_caches()
        with page_client(app, readers[name]) as client:
            assert seen[name] == _main(client.get("/compliance", params=params).text), name
    assert 'title="1 leave day"' in seen["ben"]
    for other in ("cy", "no person"):
        assert 'title="1 leave day"' not in seen[other]  # Ben's, in the hours table
        assert 'title="2 leave days"' not in seen[other]  # Ada's
        assert "sick" not in seen[other]
    assert 'title="2 leave days"' in seen["coordinator"]
