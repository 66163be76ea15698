"""The xlsx downloads of the API: a month grid, a whole year, a rotation plan. On the demo-like
data of tests/today_data.py, and on the pediatrics program of tests/programs/pediatrics.py set
up on an empty database through the API, its shifts imported as a draft."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import httpx2
import openpyxl
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from resched.db.tables import UserRole
from resched.services.exports.common import XLSX_MEDIA_TYPE
from tests.api.conftest import ClientAs
from tests.programs import pediatrics as peds
from tests.today_data import DUTY_STORES, Duties

pytestmark = pytest.mark.db
Factory = sessionmaker[Session]
Json = dict[str, Any]
DISPOSITION = re.compile(r'attachment; filename="[A-Za-z0-9._-]+\.xlsx"')


def _workbook(response: httpx2.Response) -> openpyxl.Workbook:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX_MEDIA_TYPE
    assert DISPOSITION.fullmatch(response.headers["content-disposition"])
    return openpyxl.load_workbook(io.BytesIO(response.content))


@pytest.fixture
def duties(session_factory: Factory) -> Duties:
    store: Callable[[Factory], Duties] = DUTY_STORES["demo"]
    return store(session_factory)


def test_grid_year_and_plan_downloads(client_as: ClientAs, duties: Duties) -> None:
    resident = client_as(UserRole.RESIDENT, person_id=duties.call)
    version, year = duties.plan.version_id, duties.plan.year_id
    day = duties.day.isoformat()
    grid = _workbook(resident.get(f"schedules/{version}/grid.xlsx", params={"start": day}))
    assert grid.sheetnames == [f"{duties.day:%Y-%m-%d} to {duties.day:%m}-31", "Legend"]
    assert grid.worksheets[0]["D2"].value.date() == duties.day
    whole = _workbook(resident.get(f"schedules/{version}/year.xlsx"))
    assert len(whole.sheetnames) == 14  # the demo's 13 blocks and the legend
    plan = _workbook(resident.get(f"academic-years/{year}/plan.xlsx"))
    assert plan.worksheets[0].freeze_panes == "D4"


def test_refusals(client_as: ClientAs, anonymous: TestClient, duties: Duties) -> None:
    coordinator = client_as(UserRole.COORDINATOR)
    version, year = duties.plan.version_id, duties.plan.year_id
    bad = coordinator.get(f"schedules/{version}/grid.xlsx", params={"start": "soon"})
    assert bad.status_code == 422
    backwards = coordinator.get(
        f"schedules/{version}/grid.xlsx", params={"start": "2026-10-14", "end": "2026-10-01"}
    )
    assert backwards.status_code == 422
    assert "end" in backwards.json()["error"]["message"]
    # Days so far out that the look-back would leave the calendar: 422, for the CSV too.
    for extreme in ({"start": "0001-01-01"}, {"end": "9999-12-31"}):
        for export in ("grid.xlsx", "assignments.csv"):
            answer = coordinator.get(f"schedules/{version}/{export}", params=extreme)
            assert answer.status_code == 422, (export, extreme)
            assert (
                "expected dates from 1900-01-01 to 2199-12-31" in answer.json()["error"]["message"]
            )
    for path in ("schedules/999999/grid.xlsx", "schedules/999999/year.xlsx"):
        assert coordinator.get(path).status_code == 404
    assert coordinator.get("academic-years/999999/plan.xlsx").status_code == 404
    assert coordinator.get(f"academic-years/{year}/plan.xlsx?version=999999").status_code == 404
    assert anonymous.get(f"schedules/{version}/grid.xlsx").status_code == 401


def test_the_routes_document_their_answers(app: FastAPI) -> None:
    paths = app.openapi()["paths"]
    for path, codes in (
        ("/api/v1/schedules/{version_id}/grid.xlsx", {"200", "401", "403", "404", "422"}),
        ("/api/v1/schedules/{version_id}/year.xlsx", {"200", "401", "403", "404", "422"}),
        ("/api/v1/academic-years/{academic_year_id}/plan.xlsx", {"200", "401", "403", "404"}),
    ):
        responses = paths[path]["get"]["responses"]
        assert codes <= set(responses), path
        assert XLSX_MEDIA_TYPE in responses["200"]["content"]


def _ok(response: httpx2.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def _set_up_pediatrics(api: TestClient) -> Json:
    _ok(api.put("program", json=peds.PROGRAM))
    year = _ok(api.post("academic-years", json=peds.ACADEMIC_YEAR), 201)
    for shift_type in peds.SHIFT_TYPES:
        _ok(api.post("shift-types", json=shift_type), 201)
    for rotation in peds.ROTATIONS:
        _ok(api.post("rotations", json=rotation), 201)
    for person in peds.residents(year["id"]) + peds.FACULTY:
        _ok(api.post("people", json=person), 201)
    return _ok(api.get(f"academic-years/{year['id']}"))


def _document(people: list[Json]) -> Json:
    """July's first days: a resident on a ward day then a call, a faculty attending."""
    wanted = {"WARD", "CALL", "ATTEND"}
    shift_types = [
        {k: t[k] for k in ("code", "name", "start", "minutes", "kind")}
        | {"transition_minutes": t.get("transition_minutes", 0)}
        for t in peds.SHIFT_TYPES
        if t["code"] in wanted
    ]
    chosen = [p for p in people if p["code"] in {"P1-01", "F-01"}]
    return {
        "format": "resched.schedule/v1",
        "program": {"name": peds.PROGRAM["name"], "timezone": peds.PROGRAM["timezone"]},
        "range": {"start": "2026-07-01", "end": "2026-07-31"},
        "people": [
            {"id": p["code"], "name": p["name"], "role": p["role"]}
            | ({"pgy": 1} if p["role"] == "resident" else {})
            for p in chosen
        ],
        "shift_types": shift_types,
        "assignments": [
            {"person": "P1-01", "date": "2026-07-01", "shift": "WARD"},
            {"person": "P1-01", "date": "2026-07-02", "shift": "CALL"},
            {"person": "F-01", "date": "2026-07-02", "shift": "ATTEND"},
        ],
    }


def test_the_pediatrics_program_from_empty(client: TestClient) -> None:
    year = _set_up_pediatrics(client)
    people = _ok(client.get("people", params={"limit": 200}))["items"]
    draft = _ok(client.post("schedules/import", json=_document(people)), 201)
    version = draft["version"]["id"]
    grid = _workbook(client.get(f"schedules/{version}/grid.xlsx"))
    assert grid.sheetnames == ["2026-07", "Legend"]
    sheet = grid["2026-07"]
    assert sheet.cell(2, 4 + 30).value.day == 31
    rows = {sheet.cell(r, 1).value: r for r in range(3, sheet.max_row + 1)}
    assert len(rows) == len(people)  # every resident with a level, every active faculty
    assert sheet.cell(rows["P1-01"], 3).value == "PGY-1"
    assert [sheet.cell(rows["P1-01"], c).value for c in (4, 5, 6)] == ["WARD", "CALL", None]
    assert sheet.cell(rows["F-01"], 3).value == "Faculty"
    assert sheet.cell(rows["F-01"], 5).value == "ATTEND"
    legend = grid["Legend"]
    assert {legend.cell(r, 1).value for r in range(3, legend.max_row + 1)} == {
        t["code"] for t in peds.SHIFT_TYPES
    }
    whole = _workbook(client.get(f"schedules/{version}/year.xlsx"))
    assert len(whole.sheetnames) == 13  # twelve calendar months and the legend
    july = whole.worksheets[0]
    assert july.title == "July 2026" or july.title.startswith("Block 1")
    assert (july["A3"].value, july["D3"].value) == ("P1-01", "WARD")
    plan = _workbook(client.get(f"academic-years/{year['id']}/plan.xlsx"))
    plan_sheet = plan.worksheets[0]
    assert plan_sheet.max_row == 3 + len(peds.residents(year["id"]))
    assert plan_sheet.max_column == 3 + 12
    legend = plan["Legend"]
    assert {legend.cell(r, 1).value for r in range(3, legend.max_row + 1)} == {
        r["code"] for r in peds.ROTATIONS
    }
