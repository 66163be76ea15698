"""/program/years: a coordinator creates a year (each block scheme), adds and removes
holidays and the US federal ones, deletes a year; errors show at their field and nothing is
written; other roles read the page without its forms."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from resched.core.model import ScheduleStatus
from resched.db.repositories.schedule import ScheduleVersionRepository
from resched.services.academic_years import list_academic_years, list_holidays
from tests.web.conftest import WebApp
from tests.web.htmlcheck import parse
from tests.web.test_sign_in import csrf_of

pytestmark = pytest.mark.db

YEAR = {"label": "2027-28", "start": "2027-07-01", "end": "", "scheme": "four_week", "blocks": "13"}


def _post(client: TestClient, path: str, **data: Any) -> Any:
    token = csrf_of(client.get("/program/years"))
    return client.post(path, data={"csrf_token": token, **data}, follow_redirects=False)


def test_a_coordinator_sets_up_a_year_with_its_holidays(web: WebApp) -> None:
    assert "/program/years" in web.client.get("/program").text
    created = _post(web.client, "/program/years", **YEAR, us_federal="on")
    assert created.status_code == 303, created.text
    (year,) = list_academic_years(factory=web.session_factory)
    assert (len(year.blocks), len(year.holidays)) == (13, 11)
    page = web.client.get(created.headers["location"])
    assert "The academic year was created." in page.text
    assert "Thanksgiving Day" in parse(page.text).text
    path = f"/program/years/{year.id}/holidays"
    assert _post(web.client, path, day="2027-11-26", name="Day after").status_code == 303
    assert _post(web.client, f"{path}/us-federal").status_code == 303
    holidays = list_holidays(factory=web.session_factory, academic_year_id=year.id or 0)
    assert len(holidays) == 12
    outside = _post(web.client, path, day="2028-07-04")
    assert outside.status_code == 422
    assert "is outside 2027-28" in outside.text
    removed = _post(web.client, f"{path}/{holidays[0].id}/delete")
    assert removed.status_code == 303
    assert _post(web.client, f"/program/years/{year.id}/delete").status_code == 303
    assert list_academic_years(factory=web.session_factory) == []


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (
            {"scheme": "custom", "spans": "2027-07-01 2027-07-31\n2027-08-02 2028-06-30"},
            "year-spans",
            "leaves a gap",
        ),
        ({"scheme": "custom", "spans": "2027-07-01"}, "year-spans", "expected START END"),
        ({"scheme": "four_week", "blocks": "6"}, "year-blocks", "use more blocks"),
        ({"scheme": "four_week", "blocks": "²"}, "year-blocks", "number of blocks is 1 to 60"),
        ({"start": "07/01/2027"}, "year-start", "xpected a date"),
        ({"label": ""}, "year-label", "must not be empty"),
        ({"end": "2027-06-01"}, "year-end", "ends before it starts"),
    ],
)
def test_bad_input_shows_at_its_field_and_writes_nothing(
    web: WebApp, change: dict[str, str], field: str, words: str
) -> None:
    response = _post(web.client, "/program/years", **{**YEAR, **change})
    assert response.status_code == 422
    control = parse(response.text).by_id(field)
    assert control is not None
    assert control.attrs.get("aria-invalid") == "true"
    assert words in response.text
    assert list_academic_years(factory=web.session_factory) == []


def test_calendar_months_and_other_roles_read_without_forms(web: WebApp) -> None:
    months = {**YEAR, "scheme": "monthly"}
    assert _post(web.client, "/program/years", **months).status_code == 303
    resident = web.client_as("resident")
    page = resident.get("/program/years")
    assert page.status_code == 200
    assert "July 2027" in page.text
    assert "Create an academic year" not in page.text
    refused = _post(resident, "/program/years", **{**YEAR, "label": "2028-29"})
    assert refused.status_code == 403
    assert [y.label for y in list_academic_years(factory=web.session_factory)] == ["2027-28"]


def test_deleting_a_year_that_holds_a_schedule_says_why_and_keeps_it(web: WebApp) -> None:
    assert _post(web.client, "/program/years", **YEAR).status_code == 303
    (year,) = list_academic_years(factory=web.session_factory)
    assert year.id is not None
    with web.session_factory.begin() as session:
        ScheduleVersionRepository(session).add(
            academic_year_id=year.id, label="v1", status=ScheduleStatus.PUBLISHED
        )
    refused = _post(web.client, f"/program/years/{year.id}/delete")
    assert refused.status_code == 409
    assert "2027-28 holds schedule versions (1 published)" in parse(refused.text).text
    assert len(list_academic_years(factory=web.session_factory)) == 1
