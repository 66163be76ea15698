"""/program/generation: coordinators edit the heavy rotations and their longest run, the
rotations owed a free weekend day and every weight (empty: the default), through the same
service and audit as the API; errors show at their field and nothing is saved; everyone else
reads the values. On the demo and a pediatrics program."""

from __future__ import annotations

from typing import Any

import httpx2
import pytest
from fastapi.testclient import TestClient

from resched.core.generation_settings import GenerationSettings
from resched.services.audit import list_audit_events
from resched.services.generation_settings import get_generation_settings
from tests.web.conftest import WebApp
from tests.web.htmlcheck import Element, parse
from tests.web.programs import Stored
from tests.web.test_sign_in import csrf_of

pytestmark = pytest.mark.db
PAGE = "/program/generation"


def _form_values(page: Element) -> dict[str, str]:
    """What a browser sends back from the form unchanged (checked boxes, every text field)."""
    (form,) = [f for f in page.all("form") if f.attrs.get("action") == PAGE]
    values = {}
    for field in form.iter("input"):
        if field.attrs.get("type") != "checkbox":
            values[field.attrs["name"]] = field.attrs.get("value", "")
        elif "checked" in field.attrs:
            values[field.attrs["name"]] = "on"
    for area in form.iter("textarea"):  # the raw text: its lines matter
        values[area.attrs["name"]] = "".join(c for c in area.children if isinstance(c, str))
    return values


def _submit(client: TestClient, **changes: Any) -> httpx2.Response:
    data = _form_values(parse(client.get(PAGE).text)) | changes
    return client.post(PAGE, data=data, follow_redirects=False)


def _settings(web: WebApp) -> GenerationSettings:
    return get_generation_settings(factory=web.session_factory)


def test_a_coordinator_saves_rotations_run_and_weights(web: WebApp, program: Stored) -> None:
    first = program.rotation_codes[0]
    assert "/program/generation" in web.client.get("/program").text
    data = _form_values(parse(web.client.get(PAGE).text))
    data = {k: v for k, v in data.items() if not k.startswith(("heavy_", "weekend_"))}
    data |= {f"heavy_{first}": "on", f"weekend_{first}": "on", "max_heavy_run": "3"}
    assert data["catch_up"] == "1"  # the default, shown
    data["catch_up"] = "2"
    data |= {"plan.heavy_streak": "8", "shifts.fair_calls": "0", "shifts.weekend_free": ""}
    saved = web.client.post(PAGE, data=data, follow_redirects=False)
    assert (saved.status_code, saved.headers["location"]) == (303, f"{PAGE}?saved=1")
    assert "The generation settings were saved." in web.client.get(saved.headers["location"]).text
    settings = _settings(web)
    assert (settings.heavy_rotations, settings.weekend_rotations) == ({first}, {first})
    assert settings.max_heavy_run == 3
    assert settings.catch_up == 2
    assert settings.plan_weights["heavy_streak"] == 8
    assert settings.shift_weights["fair_calls"] == 0
    assert "weekend_free" not in settings.shift_weights  # empty: the solver's default
    event = list_audit_events(factory=web.session_factory, entity="program.generation").items[-1]
    assert (event.actor, event.action) == ("chief", "update")
    # The form shows what was saved: submitting it again changes nothing.
    assert _submit(web.client).status_code == 303
    assert _settings(web) == settings


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"plan.heavy_streak": "2000000"}, "gen-plan-heavy_streak", "weights are 0 to 1000000"),
        ({"shifts.rest_8h": "lots"}, "gen-shifts-rest_8h", "whole number"),
        ({"max_heavy_run": "101"}, "gen-max_heavy_run", "is 0 to 100"),
        ({"max_heavy_run": ""}, "gen-max_heavy_run", "longest run"),
        ({"catch_up": "11"}, "gen-catch_up", "catch-up per block is 0 to 10"),
        ({"catch_up": "one"}, "gen-catch_up", "whole number"),
        ({"heavy_NOPE": "on"}, "gen-heavy", "not a rotation of the program: nope"),
        ({"min_rest_hours": "25"}, "gen-min_rest_hours", "0 to 24 h"),
        ({"min_rest_hours": "ten"}, "gen-min_rest_hours", "minimum rest in hours"),
        ({"allowed_sequences": "WARD"}, "gen-allowed_sequences", "line 1: write one sequence"),
        (
            {"allowed_sequences": "half-day then half-day\nNOPE then kind:work"},
            "gen-allowed_sequences",
            "'nope' is not a shift type of the program",
        ),
    ],
)
def test_errors_show_at_their_field_and_nothing_is_saved(
    web: WebApp, program: Stored, changes: dict[str, str], field: str, words: str
) -> None:
    before = _settings(web)
    events = list_audit_events(factory=web.session_factory, entity="program.generation").total
    response = _submit(web.client, **changes)
    assert response.status_code == 422
    page = parse(response.text)
    assert words in page.by_id(f"{field}-error").text.lower()  # type: ignore[union-attr]
    control = page.by_id(field)
    assert control is not None
    assert control.attrs.get("aria-invalid") == "true" or "has-error" in control.attrs["class"]
    assert _settings(web) == before
    assert (
        list_audit_events(factory=web.session_factory, entity="program.generation").total == events
    )


@pytest.mark.parametrize("role", ["resident", "faculty"])
def test_others_read_the_settings_and_cannot_change_them(
    web: WebApp, program: Stored, role: str
) -> None:
    member = web.client_as(role)
    page = member.get(PAGE)
    assert page.status_code == 200
    assert [f for f in parse(page.text).all("form") if f.attrs.get("action") == PAGE] == []
    assert "Heavy rotations" in page.text
    before = _settings(web)
    token = csrf_of(page)
    refused = member.post(PAGE, data={"csrf_token": token, "max_heavy_run": "9"})
    assert refused.status_code == 403
    assert _settings(web) == before


def test_a_coordinator_sets_the_rest_between_shifts(web: WebApp, program: Stored) -> None:
    page = parse(web.client.get(PAGE).text)
    assert _form_values(page)["min_rest_hours"] == "10"
    assert "half-day then half-day" in _form_values(page)["allowed_sequences"]
    lines = "half-day then half-day\r\nkind:work then kind:at_home_call\r\n"
    saved = _submit(web.client, min_rest_hours="12.5", allowed_sequences=lines)
    assert saved.status_code == 303, saved.text
    settings = _settings(web)
    assert settings.min_rest_hours == 12.5
    assert [(s.first, s.next) for s in settings.allowed_sequences] == [
        ("half-day", "half-day"),
        ("kind:work", "kind:at_home_call"),
    ]
    assert _submit(web.client).status_code == 303  # shown as saved: unchanged on resubmit
    assert _settings(web) == settings
