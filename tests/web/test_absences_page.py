"""/absences: coordinators see everyone's, filter by status, add, approve or deny (in place,
by htmx), edit and delete; residents and faculty see only their own, request one and
withdraw it while it is undecided. The same services, checks and audit as the API; bad input
shows at its field and writes nothing. On the demo and a pediatrics program."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx2
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from resched.core.model import Absence, AbsenceStatus, AbsenceType
from resched.db.tables import UserRole, UserRow
from resched.services import absences, people
from resched.services.audit import list_audit_events
from tests.web.conftest import WebApp
from tests.web.htmlcheck import parse
from tests.web.programs import Stored, store_program
from tests.web.test_sign_in import csrf_of

pytestmark = pytest.mark.db


def _post(client: TestClient, path: str, **data: Any) -> httpx2.Response:
    token = csrf_of(client.get("/absences"))
    return client.post(path, data={"csrf_token": token, **data}, follow_redirects=False)


def _form(person_id: int, **changes: str) -> dict[str, str]:
    form = {"person_id": str(person_id), "start": "2027-01-04", "end": "2027-01-08"}
    form |= {"type": "conference", "status": "approved", "note": "Regional meeting"}
    return form | changes


def _stored(web: WebApp) -> list[Absence]:
    return list(absences.list_absences(factory=web.session_factory, limit=200).items)


def _request(web: WebApp, person_id: int, day: dt.date = dt.date(2027, 3, 1)) -> int:
    wish = Absence(person_id, day, day, AbsenceType.VACATION, AbsenceStatus.REQUESTED)
    created = absences.create_absence(factory=web.session_factory, absence=wish)
    assert created.id is not None
    return created.id


def _name(web: WebApp, person_id: int) -> str:
    return people.get_person(factory=web.session_factory, person_id=person_id).name


def test_a_coordinator_adds_an_absence_and_decides_requests_in_place(
    web: WebApp, program: Stored
) -> None:
    resident = program.resident_ids[1]
    # The program's own absences were audited when it was loaded.
    earlier = list_audit_events(factory=web.session_factory, entity="absence").total
    added = _post(web.client, "/absences", **_form(resident))
    assert (added.status_code, added.headers["location"]) == (303, "/absences?notice=created")
    (absence,) = [a for a in _stored(web) if a.person_id == resident]
    assert (absence.type, absence.status, absence.note) == (
        AbsenceType.CONFERENCE,
        AbsenceStatus.APPROVED,
        "Regional meeting",
    )
    wish = _request(web, program.resident_ids[2])
    queue = parse(web.client.get("/absences", params={"status": "requested"}).text)
    rows = queue.all("tbody")[0].all("tr")
    assert [r.attrs["id"] for r in rows] == [f"absence-{wish}"]
    assert _name(web, program.resident_ids[2]) in rows[0].text
    links = [a.attrs.get("href") for a in rows[0].iter("a")]
    assert f"/leave#leave-{wish}" in links  # the shifts it touches and the repair
    token = csrf_of(web.client.get("/absences"))
    decided = web.client.post(
        f"/absences/{wish}/decision",
        data={"csrf_token": token, "decision": "approve"},
        headers={"HX-Request": "true"},
    )
    assert decided.status_code == 200
    row = parse(decided.text).by_id(f"absence-{wish}")
    assert row is not None
    assert "Approved" in row.text
    assert "Approve" not in row.text.split()  # decided: no buttons
    assert absences.get_absence(factory=web.session_factory, absence_id=wish).status == (
        AbsenceStatus.APPROVED
    )
    events = list_audit_events(factory=web.session_factory, entity="absence", offset=earlier).items
    assert [(e.action, e.actor) for e in events] == [
        ("create", "chief"),
        ("create", "system"),  # the request, stored by the test
        ("leave.approve", "chief"),  # the leave decision (tests/web/test_absence_decisions.py)
    ]


def test_a_coordinator_edits_denies_and_deletes(web: WebApp, program: Stored) -> None:
    wish = _request(web, program.resident_ids[0])
    unexplained = _post(web.client, f"/absences/{wish}/decision", decision="deny")
    assert unexplained.status_code == 422  # a denial gives the requester a reason
    assert "Give a reason." in unexplained.text
    assert absences.get_absence(factory=web.session_factory, absence_id=wish).status == (
        AbsenceStatus.REQUESTED
    )
    denied = _post(web.client, f"/absences/{wish}/decision", decision="deny", reason="Busy")
    assert (denied.status_code, denied.headers["location"]) == (303, "/absences?notice=denied")
    assert web.client.get(f"/absences/{wish}/edit").status_code == 200
    moved = _form(program.resident_ids[0], start="2027-03-02", end="2027-03-03", status="approved")
    assert _post(web.client, f"/absences/{wish}", **moved).status_code == 303
    saved = absences.get_absence(factory=web.session_factory, absence_id=wish)
    assert (saved.start, saved.end, saved.status) == (
        dt.date(2027, 3, 2),
        dt.date(2027, 3, 3),
        AbsenceStatus.APPROVED,
    )
    assert _post(web.client, f"/absences/{wish}/delete").status_code == 303
    assert wish not in {a.id for a in _stored(web)}


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"end": "2027-01-01"}, "absence-end", "ends before it starts"),
        ({"start": "04/01/2027"}, "absence-start", "expected a date"),
        ({"end": "2028-06-30"}, "absence-end", "at most 366 days"),
        ({"person_id": "999999"}, "absence-person", "unknown person"),
        ({"person_id": ""}, "absence-person", "choose a person"),
        ({"type": "holiday"}, "absence-type", "choose the type"),
        ({"status": "maybe"}, "absence-status", "choose a status"),
        ({"note": "x" * 2001}, "absence-note", "at most 2000 characters"),
    ],
)
def test_bad_input_shows_at_its_field_and_writes_nothing(
    web: WebApp, program: Stored, change: dict[str, str], field: str, words: str
) -> None:
    before = _stored(web)
    events = list_audit_events(factory=web.session_factory, entity="absence").total
    response = _post(web.client, "/absences", **(_form(program.resident_ids[0]) | change))
    assert response.status_code == 422
    page = parse(response.text)
    assert page.by_id(field).attrs.get("aria-invalid") == "true"  # type: ignore[union-attr]
    assert words in page.by_id(f"{field}-error").text.lower()  # type: ignore[union-attr]
    assert _stored(web) == before
    assert list_audit_events(factory=web.session_factory, entity="absence").total == events


def test_a_resident_requests_and_withdraws_their_own(web: WebApp, program: Stored) -> None:
    own, other = program.resident_ids[0], program.resident_ids[1]
    theirs = _request(web, other)
    resident = web.client_as("resident", person_id=own)
    page = resident.get("/absences")
    assert page.status_code == 200
    assert "Request an absence" in page.text
    assert parse(page.text).by_id("absence-person") is None
    # Whatever the form says, a resident's absence is their own request.
    sent = _post(resident, "/absences", **_form(other, status="approved"))
    assert (sent.status_code, sent.headers["location"]) == (303, "/absences?notice=requested")
    (mine,) = [a for a in _stored(web) if a.person_id == own]
    assert mine.status is AbsenceStatus.REQUESTED
    listed = resident.get("/absences").text
    assert f'id="absence-{mine.id}"' in listed
    assert f'id="absence-{theirs}"' not in listed
    assert _name(web, other) not in listed
    assert _post(resident, f"/absences/{mine.id}/withdraw").status_code == 303
    withdrawn = absences.get_absence(factory=web.session_factory, absence_id=mine.id or 0)
    assert withdrawn.status is AbsenceStatus.CANCELLED
    # Decided now: no more changes by the resident.
    assert resident.get(f"/absences/{mine.id}/edit").status_code == 403
    assert _post(resident, f"/absences/{mine.id}/delete").status_code == 403


@pytest.mark.parametrize("role", ["resident", "faculty"])
def test_members_cannot_decide_or_touch_someone_elses(
    web: WebApp, program: Stored, role: str
) -> None:
    theirs = _request(web, program.resident_ids[1])
    member = web.client_as(role)
    before = _stored(web)
    assert _post(member, f"/absences/{theirs}/decision", decision="approve").status_code == 403
    for path in (f"/absences/{theirs}/withdraw", f"/absences/{theirs}/delete"):
        assert _post(member, path).status_code == 404, path
    assert member.get(f"/absences/{theirs}/edit").status_code == 404
    assert _stored(web) == before


def test_a_member_without_a_person_is_told_so(web: WebApp) -> None:
    store_program(web.session_factory, "pediatrics")
    unlinked = web.client_as("resident")
    with web.session_factory.begin() as session:
        user = session.scalars(select(UserRow).where(UserRow.role == UserRole.RESIDENT)).one()
        user.person_id = None
    page = unlinked.get("/absences")
    assert page.status_code == 200
    assert "not linked to a person" in page.text
    assert [f for f in parse(page.text).all("form") if f.attrs.get("action") == "/absences"] == []
