"""/people: the list with its filters; coordinators add and edit a person (a PGY level per
academic year, credentials), deactivate in place and delete one, through the same services
and audit as the API. Bad input shows at its field and writes nothing; other roles read the
list without its forms and are refused the forms. On the demo and a pediatrics program."""

from __future__ import annotations

from typing import Any

import httpx2
import pytest
from fastapi.testclient import TestClient

from resched.core.model import Role
from resched.db.records import PersonProfile
from resched.services import people
from resched.services.audit import list_audit_events
from tests.web.conftest import WebApp
from tests.web.htmlcheck import parse
from tests.web.programs import Stored
from tests.web.seed import Seeded
from tests.web.test_sign_in import csrf_of

pytestmark = pytest.mark.db


def _post(client: TestClient, path: str, **data: Any) -> httpx2.Response:
    token = csrf_of(client.get("/people"))
    return client.post(path, data={"csrf_token": token, **data}, follow_redirects=False)


def _person(**changes: str) -> dict[str, str]:
    return {"code": "lee.k", "name": "Kim Lee", "email": "kim.lee@example.org",
            "role": "resident", "credentials": "ACLS, PALS", "active": "on", **changes}  # fmt: skip


def _everyone(web: WebApp) -> list[tuple[str, str]]:
    found = people.list_people(factory=web.session_factory, limit=200).items
    return [(p.code, p.name) for p in found]


def test_a_coordinator_adds_and_edits_a_person_with_a_level_per_year(
    web: WebApp, program: Stored
) -> None:
    first, last = program.year_ids[0], program.year_ids[-1]
    form = web.client.get("/people/new")
    assert form.status_code == 200
    assert parse(form.text).by_id(f"person-pgy-{first}") is not None
    added = _post(web.client, "/people", **_person(**{f"pgy_{first}": "2"}))
    assert added.status_code == 303, added.text
    (created,) = [
        p for p in people.list_people(factory=web.session_factory).items if p.code == "lee.k"
    ]
    assert created.id is not None
    assert added.headers["location"] == f"/people/{created.id}?notice=created"
    shown = web.client.get(added.headers["location"]).text
    assert "The person was added." in shown
    assert f'href="/people/{created.id}/edit"' in shown
    assert (created.pgy_by_year, created.credentials) == ({first: 2}, frozenset({"ACLS", "PALS"}))
    levels = {f"pgy_{first}": "2", f"pgy_{last}": "3"}
    edited = _post(
        web.client,
        f"/people/{created.id}",
        **_person(
            name="Kim Lee-Park",
            credentials="PALS",
            phone="+1 (312) 555-0100",
            pager="4-1234",
            **levels,
        ),
    )
    assert edited.status_code == 303, edited.text
    saved = people.get_person(factory=web.session_factory, person_id=created.id)
    assert (saved.phone, saved.pager) == ("+1 (312) 555-0100", "4-1234")
    shown = web.client.get(f"/people/{created.id}").text
    assert 'href="tel:+13125550100"' in shown
    assert 'href="tel:41234"' in shown
    assert 'value="4-1234"' in web.client.get(f"/people/{created.id}/edit").text
    assert (saved.name, saved.credentials) == ("Kim Lee-Park", frozenset({"PALS"}))
    assert saved.pgy_by_year == {first: 2, last: 3}
    events = list_audit_events(
        factory=web.session_factory, entity="person", entity_id=created.id
    ).items
    assert [(e.action, e.actor) for e in events] == [("create", "chief"), ("update", "chief")]


@pytest.mark.parametrize(
    ("change", "field", "words", "status"),
    [
        ({"pgy": "11"}, "pgy", "PGY levels run from 1 to 10", 422),
        ({"pgy": "two"}, "pgy", "Choose a PGY level", 422),
        ({"role": "faculty", "pgy": "1"}, "pgy", "Only residents have a PGY level", 422),
        ({"code": "taken"}, "person-code", "with this code exists", 409),
        ({"code": "no spaces"}, "person-code", "a code is 1-32", 422),
        ({"name": " "}, "person-name", "must not be empty", 422),
        ({"email": "nobody"}, "person-email", "not an email address", 422),
        ({"role": "chief"}, "person-role", "Choose resident or faculty", 422),
        ({"credentials": "X" * 41}, "person-credentials", "at most 40 characters", 422),
        ({"phone": "call me"}, "person-phone", "a phone number is digits", 422),
        ({"pager": "4" * 33}, "person-pager", "at most 32 characters", 422),
    ],
)
def test_bad_input_shows_at_its_field_and_writes_nothing(
    web: WebApp, program: Stored, change: dict[str, str], field: str, words: str, status: int
) -> None:
    year = program.year_ids[-1]
    people.create_person(
        factory=web.session_factory,
        profile=PersonProfile(code="taken", name="Taken", role=Role.FACULTY),
    )
    before, events = _everyone(web), list_audit_events(factory=web.session_factory).total
    change = dict(change)  # the parameters are shared by both programs
    pgy = change.pop("pgy", "")
    control = f"person-pgy-{year}" if field == "pgy" else field
    response = _post(web.client, "/people", **_person(**change, **{f"pgy_{year}": pgy}))
    assert response.status_code == status
    page = parse(response.text)
    assert page.by_id(control).attrs.get("aria-invalid") == "true"  # type: ignore[union-attr]
    assert words.lower() in page.by_id(f"{control}-error").text.lower()  # type: ignore[union-attr]
    assert _everyone(web) == before
    assert list_audit_events(factory=web.session_factory).total == events


def test_an_edit_that_fails_keeps_the_person_as_they_were(web: WebApp, program: Stored) -> None:
    resident = people.get_person(factory=web.session_factory, person_id=program.resident_ids[0])
    year = program.year_ids[0]
    response = _post(
        web.client, f"/people/{resident.id}", **_person(name="Changed", **{f"pgy_{year}": "0"})
    )
    assert response.status_code == 422
    assert parse(response.text).by_id(f"person-pgy-{year}-error") is not None
    assert people.get_person(factory=web.session_factory, person_id=resident.id or 0) == resident


def test_the_list_filters_by_role_level_in_the_year_and_status(
    web: WebApp, program: Stored
) -> None:
    year = program.year_ids[0]
    label = web.client.get("/people").text
    assert "Add a person" in label
    everyone = people.list_people(factory=web.session_factory, limit=200).items
    level_one = {p.name for p in everyone if p.pgy_by_year.get(year) == 1}
    assert level_one
    response = web.client.get("/people", params={"role": "resident", "pgy": "1"})
    table = parse(response.text).all("tbody")[0]
    assert {th.text for th in table.iter("th")} == level_one
    faculty = parse(web.client.get("/people", params={"role": "faculty"}).text)
    assert "PGY-" not in faculty.all("tbody")[0].text
    quitter = program.resident_ids[0]
    assert _post(web.client, f"/people/{quitter}/active", active="false").status_code == 303
    active = web.client.get("/people").text
    inactive = web.client.get("/people", params={"active": "inactive"}).text
    assert f'id="person-{quitter}"' not in active
    assert f'id="person-{quitter}"' in inactive


def test_deactivating_in_place_answers_with_the_row(seeded: tuple[WebApp, Seeded]) -> None:
    web, ids = seeded
    token = csrf_of(web.client.get("/people"))
    data = {"csrf_token": token, "active": "false", "year_id": str(ids.year_id)}
    path = f"/people/{ids.first_resident_id}/active"
    response = web.client.post(path, data=data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    row = parse(response.text).by_id(f"person-{ids.first_resident_id}")
    assert row is not None
    cells = [td.text for td in row.all("td")]
    assert (cells[2], cells[4]) == ("PGY-1", "Inactive")
    assert "Activate" in cells[5]
    assert not people.get_person(
        factory=web.session_factory, person_id=ids.first_resident_id
    ).active


def test_deleting_someone_in_a_schedule_is_refused_and_says_why(
    seeded: tuple[WebApp, Seeded],
) -> None:
    web, ids = seeded
    refused = _post(web.client, f"/people/{ids.first_resident_id}/delete")
    assert refused.status_code == 409
    assert "appears in 1 schedule version; deactivate them instead" in parse(refused.text).text
    assert people.get_person(factory=web.session_factory, person_id=ids.first_resident_id)
    faculty = ids.faculty_ids[0]
    deleted = _post(web.client, f"/people/{faculty}/delete")
    assert (deleted.status_code, deleted.headers["location"]) == (303, "/people?notice=deleted")
    assert faculty not in {p.id for p in people.list_people(factory=web.session_factory).items}
    (event,) = list_audit_events(factory=web.session_factory, entity="person").items
    assert (event.action, event.entity_id) == ("delete", str(faculty))


@pytest.mark.parametrize("role", ["resident", "faculty"])
def test_other_roles_read_the_list_and_are_refused_the_forms(
    seeded: tuple[WebApp, Seeded], role: str
) -> None:
    web, ids = seeded
    member = web.client_as(role)
    listed = member.get("/people")
    assert listed.status_code == 200
    assert "Resident 1-000" in listed.text
    assert "Add a person" not in listed.text
    assert "Deactivate" not in listed.text
    assert "Edit Resident" not in member.get(f"/people/{ids.first_resident_id}").text
    person = f"/people/{ids.first_resident_id}"
    for path in ("/people/new", f"{person}/edit"):
        assert member.get(path).status_code == 403, path
    before = _everyone(web)
    for path in ("/people", person, f"{person}/active", f"{person}/delete"):
        assert _post(member, path, **_person(code="sneaky")).status_code == 403, path
    assert _everyone(web) == before
    assert people.get_person(factory=web.session_factory, person_id=ids.first_resident_id).active


def test_the_forms_need_their_csrf_token(seeded: tuple[WebApp, Seeded]) -> None:
    web, _ = seeded
    response = web.client.post("/people", data=_person(), follow_redirects=False)
    assert response.status_code == 403
    assert "lee.k" not in {code for code, _ in _everyone(web)}
