"""The import wizard at /import: upload (CSRF-checked), the preview with problems by row and
column, apply, the result with "Undo this import", the recent imports - for coordinators
only, on an empty database, the demo and the pediatrics program."""

from __future__ import annotations

import json

import pytest

from resched.db.tables import UserRole
from resched.services.people import list_people
from tests.import_data import PROGRAMS, csv_bytes, data_rows, xlsx_bytes
from tests.web.conftest import WebApp
from tests.web.htmlcheck import parse
from tests.web.test_sign_in import csrf_of

pytestmark = pytest.mark.db
PEOPLE = [["code", "name", "role"], ["N1", "New One", "faculty"]]


def _upload(web: WebApp, data: bytes, name: str, kind: str = "people", token: str | None = None):  # type: ignore[no-untyped-def]
    page = web.client.get("/import")
    fields = {"kind": kind, "csrf_token": token if token is not None else csrf_of(page)}
    return web.client.post(
        "/import", data=fields, files={"file": (name, data)}, follow_redirects=False
    )


@pytest.mark.parametrize("program", sorted(PROGRAMS))
def test_upload_preview_apply_undo(program: str, web: WebApp, database_url: str) -> None:
    PROGRAMS[program](web.session_factory)
    before = data_rows(database_url)
    start = web.client.get("/import")
    assert start.status_code == 200
    assert 'href="/import"' in start.text
    assert 'enctype="multipart/form-data"' in start.text
    uploaded = _upload(web, xlsx_bytes(PEOPLE), "people.xlsx")
    assert uploaded.status_code == 303
    preview = web.client.get(uploaded.headers["location"])
    assert "Step 2 of 3" in preview.text
    assert "New One" in preview.text
    assert data_rows(database_url) == before
    applied = web.client.post(
        f"{uploaded.headers['location']}/apply",
        data={"csrf_token": csrf_of(preview)},
        follow_redirects=False,
    )
    assert applied.status_code == 303
    result = web.client.get(applied.headers["location"])
    assert "The import was applied." in result.text
    assert "Undo this import" in result.text
    assert "N1" in {p.code for p in list_people(factory=web.session_factory, limit=200).items}
    undone = web.client.post(
        f"{uploaded.headers['location']}/undo",
        data={"csrf_token": csrf_of(result)},
        follow_redirects=True,
    )
    assert "The import was undone" in undone.text
    assert data_rows(database_url) == before
    listed = web.client.get("/import").text
    assert "people.xlsx" in listed
    assert "Undone" in listed


def test_problems_are_shown_by_row_and_column_and_block_apply(web: WebApp) -> None:
    rows = [["code", "name", "role"], ["A1", "Ann", "nurse"]]
    uploaded = _upload(web, csv_bytes(rows), "people.csv")
    page = web.client.get(uploaded.headers["location"])
    table = parse(page.text)
    cells = [td.text for td in table.all("td")]
    assert "C (role)" in cells
    assert "Apply this import" not in page.text
    refused = web.client.post(
        f"{uploaded.headers['location']}/apply", data={"csrf_token": csrf_of(page)}
    )
    assert refused.status_code == 409
    assert "problem" in refused.text


def test_a_refused_file_shows_above_the_form(web: WebApp, database_url: str) -> None:
    refused = _upload(web, csv_bytes(PEOPLE), "people.xlsx")
    assert refused.status_code == 422
    assert "There is a problem" in refused.text
    assert 'aria-invalid="true"' in refused.text
    assert data_rows(database_url)["person"] == []


def test_the_upload_needs_the_csrf_token(web: WebApp, database_url: str) -> None:
    refused = _upload(web, csv_bytes(PEOPLE), "people.csv", token="forged")
    assert refused.status_code == 403
    assert list_people(factory=web.session_factory).total == 0


def test_templates_download_and_read_back(web: WebApp) -> None:
    for kind in ("people", "rotations", "absences"):
        for ext in ("csv", "xlsx"):
            got = web.client.get(f"/import/templates/{kind}.{ext}")
            assert got.status_code == 200
            assert f"resched-{kind}.{ext}" in got.headers["content-disposition"]
    assert web.client.get("/import/templates/people.pdf").status_code == 404


def test_residents_cannot_import(web: WebApp) -> None:
    resident = web.client_as(UserRole.RESIDENT)
    page = resident.get("/import")
    assert page.status_code == 403
    assert 'href="/import"' not in resident.get("/today").text


def test_a_schedule_document_previews_people_by_json_path(web: WebApp, database_url: str) -> None:
    document = {
        "format": "resched.schedule/v1",
        "people": [
            {"id": "A1", "name": "Ann", "role": "faculty"},
            {"id": "A2", "name": "Bo", "role": "nurse"},
        ],
    }
    uploaded = _upload(web, json.dumps(document).encode(), "people.json")
    assert uploaded.status_code == 303, uploaded.text
    page = web.client.get(uploaded.headers["location"])
    cells = [td.text for td in parse(page.text).all("td")]
    assert "people[1].role (role)" in cells
    assert "Apply this import" not in page.text
    document["people"] = [7]
    refused = _upload(web, json.dumps(document).encode(), "people.json")
    assert refused.status_code == 422
    # The form capitalises the first letter of a message: the path still names the item.
    assert "eople[0]: expected an object, got 7" in refused.text
    assert data_rows(database_url)["person"] == []
