"""The Program page's settings form: coordinators edit the name, time zone and every rule
(the ACGME limit beside each, errors at the field, CSRF-checked, audited); everyone else reads
the values. On an empty database the form creates the program."""

from __future__ import annotations

import httpx2
import pytest

from resched.services import program
from resched.services.audit import list_audit_events
from tests.web.conftest import WebApp
from tests.web.htmlcheck import Element, parse
from tests.web.test_generate_page import _labelled

pytestmark = pytest.mark.db


def _form_values(response: httpx2.Response) -> dict[str, str]:
    """What a browser would send back from the settings form, unchanged."""
    form = parse(response.text).by_id("program-settings")
    assert form is not None
    values = {
        i.attrs["name"]: i.attrs.get("value", "") for i in form.iter("input") if "name" in i.attrs
    }
    for choice in form.iter("select"):
        chosen = [o for o in choice.iter("option") if "selected" in o.attrs]
        values[choice.attrs["name"]] = chosen[0].attrs["value"] if chosen else ""
    return values


def _submit(web: WebApp, **changes: str) -> httpx2.Response:
    data = _form_values(web.client.get("/program")) | changes
    return web.client.post("/program/settings", data=data, follow_redirects=False)


def _field(page: Element, name: str) -> Element:
    found = page.by_id(f"ps-{name}")
    assert found is not None
    return found


def test_coordinators_get_the_form_with_each_acgme_limit(web: WebApp) -> None:
    web.seed()
    response = web.client.get("/program")
    assert response.status_code == 200
    page = parse(response.text)
    _labelled(page)
    section = page.by_id("program-settings")
    assert section is not None
    assert _field(page, "call_every_nth_night").attrs["value"] == "3"
    assert "ACGME: at least 3" in page.by_id("ps-call_every_nth_night-hint").text  # type: ignore[union-attr]
    assert "ACGME: at most 80 h" in section.text
    assert "ACGME: at most 2" in page.by_id("ps-ratio_1-hint").text  # type: ignore[union-attr]


def test_call_every_fourth_night_is_saved_and_audited(web: WebApp) -> None:
    web.seed()
    response = _submit(web, call_every_nth_night="4", name="Riverside IM")
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/program?saved=1#program-settings"
    page = web.client.get(response.headers["location"])
    assert "The program settings were saved." in page.text
    assert _field(parse(page.text), "call_every_nth_night").attrs["value"] == "4"
    saved = program.get_program(factory=web.session_factory)
    assert (saved.name, saved.rules.call_every_nth_night) == ("Riverside IM", 4)
    event = list_audit_events(factory=web.session_factory, entity="program").items[-1]
    assert (event.actor, event.action) == ("chief", "update")


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"call_every_nth_night": "2"}, "call_every_nth_night", "ACGME limit (at least 3)"),
        ({"ratio_1": "3"}, "ratio_1", "ACGME limit (1:2"),
        ({"hours_per_week_limit": "88"}, "hours_per_week_limit", "at most 80 h"),
        ({"merge_gap_minutes": "lunch"}, "merge_gap_minutes", "whole number"),
        ({"timezone": "Mars/Olympus"}, "timezone", "time zone"),
    ],
)
def test_errors_are_shown_at_their_field_and_nothing_is_saved(
    web: WebApp, changes: dict[str, str], field: str, words: str
) -> None:
    web.seed()
    response = _submit(web, name="Changed", **changes)
    assert response.status_code == 422
    page = parse(response.text)
    assert _field(page, field).attrs.get("aria-invalid") == "true"
    assert words in page.by_id(f"ps-{field}-error").text  # type: ignore[union-attr]
    assert program.get_program(factory=web.session_factory).name != "Changed"


def test_others_read_the_values_and_cannot_change_them(web: WebApp) -> None:
    web.seed()
    resident = web.client_as("resident")
    page = parse(resident.get("/program").text)
    section = page.by_id("program-settings")
    assert section is not None
    assert section.all("form") == []
    assert "America/Chicago" in section.text
    assert "ACGME: at least 3" in section.text
    data = _form_values(web.client.get("/program"))
    assert resident.post("/program/settings", data=data).status_code == 403


def test_the_form_needs_its_csrf_token(web: WebApp) -> None:
    web.seed()
    data = _form_values(web.client.get("/program"))
    del data["csrf_token"]
    assert web.client.post("/program/settings", data=data).status_code == 403


def test_an_empty_database_gets_its_program_from_the_form(web: WebApp) -> None:
    response = web.client.get("/program")
    assert response.status_code == 200
    assert _field(parse(response.text), "name").attrs.get("value") is None
    saved = _submit(web, name="Pediatrics", timezone="America/Denver", call_every_nth_night="4")
    assert saved.status_code == 303, saved.text
    created = program.get_program(factory=web.session_factory)
    assert (created.name, created.timezone, created.rules.call_every_nth_night) == (
        "Pediatrics",
        "America/Denver",
        4,
    )


def test_the_change_policy_is_saved_next_to_the_freeze_horizon(web: WebApp) -> None:
    web.seed()
    page = parse(web.client.get("/program").text)
    box = _field(page, "auto_approve_changes")
    assert "checked" in box.attrs
    assert _field(page, "undo_window_hours").attrs["value"] == "24"
    hint = page.by_id("ps-auto_approve_changes-hint")
    assert hint is not None
    assert "without waiting for a coordinator" in hint.text
    data = _form_values(web.client.get("/program"))
    data.pop("auto_approve_changes")  # an unticked box is not sent
    data["undo_window_hours"] = "48"
    response = web.client.post("/program/settings", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text
    saved = program.get_program(factory=web.session_factory)
    assert (saved.auto_approve_changes, saved.undo_window_hours) == (False, 48)
    assert (
        "checked"
        not in _field(parse(web.client.get("/program").text), "auto_approve_changes").attrs
    )


def test_an_undo_window_past_a_week_is_refused_at_the_field(web: WebApp) -> None:
    web.seed()
    response = _submit(web, undo_window_hours="169")
    assert response.status_code == 422
    error = parse(response.text).by_id("ps-undo_window_hours-error")
    assert error is not None
    assert "168" in error.text
    assert program.get_program(factory=web.session_factory).undo_window_hours == 24


def test_the_jeopardy_shift_is_chosen_from_the_shift_types(web: WebApp) -> None:
    web.seed()
    page = parse(web.client.get("/program").text)
    choice = _field(page, "jeopardy_shift")
    options = [(o.attrs["value"], o.text) for o in choice.iter("option")]
    assert options[0] == ("", "none")
    assert "selected" in next(choice.iter("option")).attrs  # none set yet
    hint = page.by_id("ps-jeopardy_shift-hint")
    assert hint is not None
    assert "suggested backups add them to it in one step" in hint.text
    code = options[1][0]
    response = _submit(web, jeopardy_shift=code)
    assert response.status_code == 303, response.text
    assert program.get_program(factory=web.session_factory).jeopardy_shift == code
    again = _field(parse(web.client.get("/program").text), "jeopardy_shift")
    assert [o.attrs["value"] for o in again.iter("option") if "selected" in o.attrs] == [code]
    # A code that is no shift type (a forged form) is refused at the field; nothing changes.
    refused = _submit(web, jeopardy_shift="NOPE")
    assert refused.status_code == 422
    error = parse(refused.text).by_id("ps-jeopardy_shift-error")
    assert error is not None
    assert "NOPE" in error.text
    assert program.get_program(factory=web.session_factory).jeopardy_shift == code
    cleared = _submit(web, jeopardy_shift="")
    assert cleared.status_code == 303
    assert program.get_program(factory=web.session_factory).jeopardy_shift is None
