"""/program/years: "Start academic year 2027-28" previews what will happen, writes nothing
until confirmed, then starts the year; a bad pasted class shows at the text area with its
row and column; a second next year is refused above the form; other roles see no form."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from resched.services.academic_years import list_academic_years
from tests.rollover_data import levels_in, peds_program, record_of, row_counts
from tests.web.conftest import WebApp
from tests.web.htmlcheck import parse
from tests.web.test_sign_in import csrf_of

pytestmark = pytest.mark.db

CLASS = "code,name,email,pgy\r\nped1c,Ivy Nolan,ivy@example.org,1\r\nped1d,Otto Ray,,1\r\n"
FORM = {"label": "", "start": "", "final_pgy": "", "leaving": "ped1b", "incoming_csv": CLASS}


def _post(client: TestClient, path: str, **data: Any) -> Any:
    token = csrf_of(client.get("/program/years"))
    return client.post(path, data={"csrf_token": token, **data}, follow_redirects=False)


def _hidden(html: str) -> dict[str, str]:
    """The values the confirmation form carries."""
    form = parse(html).by_id("next-confirm")
    assert form is not None
    return {
        i.attrs["name"]: i.attrs.get("value", "")
        for i in form.all("input")
        if i.attrs.get("type") == "hidden" and i.attrs.get("name") != "csrf_token"
    }


def test_preview_then_confirm_starts_the_year(web: WebApp) -> None:
    stored = peds_program(web.session_factory)
    before = record_of(web.session_factory, stored.version_id)
    page = web.client.get("/program/years")
    assert "Start academic year 2027-28" in page.text
    counts = row_counts(web.session_factory)
    preview = _post(web.client, f"/program/years/{stored.year_id}/next/preview", **FORM)
    assert preview.status_code == 200, preview.text
    text = parse(preview.text).text
    assert "Moving up one PGY level: 3 residents." in text
    assert "Finishing (PGY-3, no level in 2027-28): 2 residents." in text
    assert "Leaving: ped1b." in text
    assert "Joining: 2 residents." in text
    assert "Thanksgiving ward" in text
    assert row_counts(web.session_factory) == counts
    carried = _hidden(preview.text)
    assert carried["leaving"] == "ped1b"
    assert carried["incoming_csv"].splitlines() == CLASS.splitlines()
    done = _post(web.client, f"/program/years/{stored.year_id}/next", **carried)
    assert done.status_code == 303, done.text
    assert "The new academic year was started" in web.client.get(done.headers["location"]).text
    new = list_academic_years(factory=web.session_factory)[-1]
    assert new.id is not None
    assert levels_in(web.session_factory, new.id) == {
        "ped1a": 2,
        "ped2a": 3,
        "ped2b": 3,
        "ped1c": 1,
        "ped1d": 1,
    }
    assert record_of(web.session_factory, stored.version_id) == before
    # The section now offers the year after the new one; the old one cannot start twice.
    assert "Start academic year 2028-29" in web.client.get("/program/years").text
    twice = _post(web.client, f"/program/years/{stored.year_id}/next", **FORM)
    assert twice.status_code == 409
    assert "The next academic year exists: 2027-28" in parse(twice.text).text


@pytest.mark.parametrize(
    ("change", "control", "words"),
    [
        ({"incoming_csv": "a1,A,,1\na2,B,,9\n"}, "next-incoming", "Row 2, column pgy: PGY-9"),
        ({"incoming_csv": "a1,A,,1\nA1,B,,1\n"}, "next-incoming", "Row 2, column code"),
        ({"incoming_csv": "a1,A,x@e.org,1\na2,B,x@e.org,1\n"}, "next-incoming", "column email"),
        ({"incoming_csv": "ped2a,A,,1\n"}, "next-incoming", "a person with code ped2a exists"),
        ({"leaving": "ped1a, nobody"}, "next-leaving", "'nobody' is not a resident"),
        ({"final_pgy": "two"}, "next-final", "is a number"),
        ({"final_pgy": "2"}, "next-final", "above PGY-2"),
        ({"start": "2027-06-30"}, "next-start", "starts after 2026-27 ends"),
        ({"start": "30/06/2027"}, "next-start", "xpected a date"),
    ],
)
@pytest.mark.parametrize("route", ["next", "next/preview"])
def test_bad_input_shows_at_its_field_and_writes_nothing(
    web: WebApp, route: str, change: dict[str, str], control: str, words: str
) -> None:
    stored = peds_program(web.session_factory)
    counts = row_counts(web.session_factory)
    response = _post(web.client, f"/program/years/{stored.year_id}/{route}", **(FORM | change))
    assert response.status_code == 422, response.text
    element = parse(response.text).by_id(control)
    assert element is not None
    assert element.attrs.get("aria-invalid") == "true"
    assert words in parse(response.text).text
    assert row_counts(web.session_factory) == counts


def test_other_roles_see_no_form_and_are_refused(web: WebApp) -> None:
    stored = peds_program(web.session_factory)
    resident = web.client_as("resident")
    assert "Start academic year" not in resident.get("/program/years").text
    counts = row_counts(web.session_factory)
    for route in ("next", "next/preview"):
        refused = _post(resident, f"/program/years/{stored.year_id}/{route}", **FORM)
        assert refused.status_code == 403
    assert row_counts(web.session_factory) == counts
