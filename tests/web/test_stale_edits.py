"""Two coordinators edit the same item at once (issue 17): the second save is refused (409)
with "Someone else changed this ... since you opened it", the form keeps what they typed, the
current version is shown, nothing of theirs is written; saving again from that page replaces
it deliberately. Catalog, people, absences and program settings; demo and pediatrics."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import httpx2
import pytest
from fastapi.testclient import TestClient

from resched.core.model import Absence, AbsenceType, ShiftKind, ShiftType
from resched.db.repositories.generation import block_assignments
from resched.services import absences, people, rotations, shift_types
from resched.services import program as program_service
from resched.services.audit import list_audit_events
from tests.plan_data import StoredPlan, store_demo_plan, store_peds
from tests.web.conftest import WebApp
from tests.web.htmlcheck import Element, parse
from tests.web.programs import Stored

pytestmark = pytest.mark.db

NOT_SAVED = "since you opened it: here is the current version; your changes were not saved"


def _sent_back(page: httpx2.Response, action: str) -> dict[str, str | list[str]]:
    """What a browser sends back from the form posting to ``action``, unchanged."""
    form = next((f for f in parse(page.text).iter("form") if f.attrs.get("action") == action), None)
    assert form is not None, f"a form posting to {action}"
    values: dict[str, str | list[str]] = {}
    for field in form.iter("input"):
        name, kind = field.attrs.get("name"), field.attrs.get("type", "text")
        if name is None or (kind in ("checkbox", "radio") and "checked" not in field.attrs):
            continue
        if name in values:
            kept = values[name]
            values[name] = [*(kept if isinstance(kept, list) else [kept]), field.attrs["value"]]
        else:
            values[name] = field.attrs.get("value", "on" if kind == "checkbox" else "")
    for choice in form.iter("select"):
        chosen = [o for o in choice.iter("option") if "selected" in o.attrs]
        values[choice.attrs["name"]] = chosen[0].attrs.get("value", "") if chosen else ""
    for area in form.iter("textarea"):
        raw = "".join(c for c in area.children if isinstance(c, str))
        values[area.attrs["name"]] = raw.removeprefix("\n")  # as a browser reads it
    return values


def _version(page: httpx2.Response, action: str) -> str:
    version = _sent_back(page, action)["row_version"]
    assert isinstance(version, str)
    assert version.isdigit()
    return version


def _two_editors(
    web: WebApp, edit_url: str, action: str
) -> tuple[TestClient, dict[str, str | list[str]], dict[str, str | list[str]]]:
    """A second coordinator; both open the edit page before either saves."""
    other = web.client_as("coordinator")
    mine, theirs = web.client.get(edit_url), other.get(edit_url)
    assert mine.status_code == theirs.status_code == 200
    assert _version(mine, action) == _version(theirs, action)
    return other, _sent_back(mine, action), _sent_back(theirs, action)


def _stale_page(response: httpx2.Response, noun: str) -> Element:
    assert response.status_code == 409, response.text[:500]
    assert f"Someone else changed this {noun} {NOT_SAVED}" in " ".join(response.text.split())
    page = parse(response.text)
    notice = page.by_id("stale-edit")
    assert notice is not None
    assert "The current version" in notice.text
    return page


def test_a_stale_person_save_is_refused_and_keeps_what_was_typed(
    web: WebApp, program: Stored
) -> None:
    person_id = program.resident_ids[0]
    action = f"/people/{person_id}"
    other, mine, theirs = _two_editors(web, f"/people/{person_id}/edit", action)
    saved = other.post(action, data={**theirs, "name": "Saved First"}, follow_redirects=False)
    assert saved.status_code == 303, saved.text[:500]
    audited = list_audit_events(factory=web.session_factory, entity="person").total

    refused = web.client.post(action, data={**mine, "name": "Typed Second"})
    page = _stale_page(refused, "person")
    notice = page.by_id("stale-edit")
    assert notice is not None
    assert "Saved First" in notice.text  # the current version
    name_field = page.by_id("person-name")
    assert name_field is not None
    assert name_field.attrs["value"] == "Typed Second"  # what they typed, kept
    stored = people.get_person(factory=web.session_factory, person_id=person_id)
    assert stored.name == "Saved First"
    assert list_audit_events(factory=web.session_factory, entity="person").total == audited

    again = web.client.post(action, data=_sent_back(refused, action), follow_redirects=False)
    assert again.status_code == 303  # saving from the refusal replaces it, knowingly
    stored = people.get_person(factory=web.session_factory, person_id=person_id)
    assert stored.name == "Typed Second"


def test_a_stale_rotation_save_and_delete_are_refused(web: WebApp, program: Stored) -> None:
    rotation = rotations.list_rotations(factory=web.session_factory).items[0]
    action = f"/program/rotations/{rotation.id}"
    other, mine, theirs = _two_editors(web, action, action)
    saved = other.post(action, data={**theirs, "name": "Renamed First"}, follow_redirects=False)
    assert saved.status_code == 303, saved.text[:500]

    refused = web.client.post(action, data={**mine, "name": "Renamed Second"})
    _stale_page(refused, "rotation")
    after = rotations.get_rotation(factory=web.session_factory, rotation_id=rotation.id or 0)
    assert after.name == "Renamed First"

    stale_delete = web.client.post(
        f"{action}/delete",
        data={"csrf_token": mine["csrf_token"], "row_version": mine["row_version"]},
    )
    assert stale_delete.status_code == 409
    assert "Someone else changed this rotation" in stale_delete.text
    assert rotations.get_rotation(factory=web.session_factory, rotation_id=rotation.id or 0)


def test_a_stale_shift_type_save_is_refused(web: WebApp, program: Stored) -> None:
    shift_type = shift_types.create_shift_type(
        factory=web.session_factory,
        shift_type=ShiftType(
            code="XDAY", name="Extra day", start=dt.time(7), minutes=600, kind=ShiftKind.WORK
        ),
    )
    action = f"/program/shift-types/{shift_type.id}"
    other, mine, theirs = _two_editors(web, action, action)
    first = other.post(action, data={**theirs, "name": "First"}, follow_redirects=False)
    assert first.status_code == 303, first.text[:500]
    _stale_page(web.client.post(action, data={**mine, "name": "Second"}), "shift type")


def test_a_stale_absence_save_is_refused(web: WebApp, program: Stored) -> None:
    start = dt.date(2026, 9, 7)
    absence = absences.create_absence(
        factory=web.session_factory,
        absence=Absence(
            person_id=program.resident_ids[0], start=start, end=start, type=AbsenceType.VACATION
        ),
    )
    action = f"/absences/{absence.id}"
    other, mine, theirs = _two_editors(web, f"{action}/edit", action)
    first = other.post(action, data={**theirs, "note": "first"}, follow_redirects=False)
    assert first.status_code == 303, first.text[:500]
    _stale_page(web.client.post(action, data={**mine, "note": "second"}), "absence")
    assert absences.get_absence(factory=web.session_factory, absence_id=absence.id or 0).note == (
        "first"
    )


def test_stale_program_settings_are_refused(web: WebApp, program: Stored) -> None:
    action = "/program/settings"
    other, mine, theirs = _two_editors(web, "/program", action)
    first = other.post(action, data={**theirs, "freeze_horizon_days": "3"}, follow_redirects=False)
    assert first.status_code == 303, first.text[:500]
    refused = web.client.post(action, data={**mine, "freeze_horizon_days": "11"})
    page = _stale_page(refused, "program")
    field = page.by_id("ps-freeze_horizon_days")
    assert field is not None
    assert field.attrs["value"] == "11"
    stored = program_service.get_program(factory=web.session_factory)
    assert stored.freeze_horizon_days == 3


@pytest.mark.parametrize("store", [store_peds, store_demo_plan], ids=["pediatrics", "demo"])
def test_a_stale_plan_cell_save_is_refused(web: WebApp, store: Callable[..., StoredPlan]) -> None:
    """The cell is no row with a version: the form carries what the cell held when opened."""
    plan = store(web.session_factory)
    person = plan.residents[0]
    url = f"/plan/cell?year_id={plan.year_id}&person_id={person}&block=1"
    other, mine = web.client_as("coordinator"), web.client.get(url)
    theirs = _sent_back(other.get(url), "/plan/cell")
    mine_values = _sent_back(mine, "/plan/cell")
    assert mine_values["held"] == theirs["held"]
    codes = [r.code for r in rotations.list_rotations(factory=web.session_factory).items]
    held_code = str(theirs["held"]).split("/", 1)[0]
    first, second = [c for c in codes if c != held_code][:2]
    extra = {"reason": "cover", "confirm": "on"}
    saved = other.post(
        "/plan/cell", data={**theirs, **extra, "rotation": first}, follow_redirects=False
    )
    assert saved.status_code == 303, saved.text[:500]

    refused = web.client.post("/plan/cell", data={**mine_values, **extra, "rotation": second})
    assert refused.status_code == 409
    assert f"Someone else changed this cell {NOT_SAVED}" in " ".join(refused.text.split())
    with web.session_factory() as session:
        cell = [
            a.rotation_code
            for a in block_assignments(session, plan.version_id)
            if (a.person_id, a.block_number) == (person, 1)
        ]
    assert cell == [first]

    again = _sent_back(refused, "/plan/cell") | extra | {"rotation": second}
    assert web.client.post("/plan/cell", data=again, follow_redirects=False).status_code == 303
