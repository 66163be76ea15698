"""POST /schedules/import-file and its preview: a grid workbook, a CSV or an interchange
document in as a draft, every problem by sheet, row and column with nothing stored, the
upload limit of 10 MB on these routes only; on the demo and the pediatrics program."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from resched.services.calendar_feed.csv_export import assignments_csv
from tests.api.conftest import ClientAs
from tests.schedule_data import publish
from tests.schedule_file_data import (
    PROGRAMS,
    counts,
    grid_workbook,
    program_people,
    store_program,
    store_schedule,
    version_triples,
)

pytestmark = pytest.mark.db
Factory = sessionmaker[Session]
START = dt.date(2026, 7, 1)
DAYS = 35
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MIB = 1024 * 1024


@pytest.fixture(params=PROGRAMS)
def original(request: pytest.FixtureRequest, session_factory: Factory) -> int:
    store_program(session_factory, request.param)
    return store_schedule(session_factory, START, DAYS)


def _workbook(factory: Factory, version_id: int) -> bytes:
    triples = version_triples(factory, version_id)
    return grid_workbook(triples, program_people(factory), START, DAYS)


def test_preview_then_import_a_workbook(
    client: TestClient, session_factory: Factory, original: int
) -> None:
    files = {"file": ("July.xlsx", _workbook(session_factory, original), XLSX)}
    before = counts(session_factory)
    preview = client.post("schedules/import-file/preview", files=files, data={"label": "Old"})
    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert (body["kind"], body["start"], body["problems"]) == ("xlsx", "2026-07-01", [])
    assert body["assignments"] == len(version_triples(session_factory, original))
    assert body["findings"]["violations"] >= 0
    assert counts(session_factory) == before

    created = client.post("schedules/import-file", files=files, data={"label": "Old"})
    assert created.status_code == 201, created.text
    version = created.json()["version"]
    assert (version["status"], version["label"]) == ("draft", "Old")
    assert version_triples(session_factory, version["id"]) == version_triples(
        session_factory, original
    )


def test_import_the_csv_export_and_undo_it(
    client: TestClient, session_factory: Factory, original: int
) -> None:
    text = assignments_csv(factory=session_factory, version_id=original).text
    created = client.post("schedules/import-file", files={"file": ("a.csv", text, "text/csv")})
    assert created.status_code == 201, created.text
    version_id = created.json()["version"]["id"]
    assert client.delete(f"schedules/{version_id}/import").status_code == 204
    assert client.get(f"schedules/{version_id}").status_code == 404

    again = client.post("schedules/import-file", files={"file": ("a.csv", text, "text/csv")})
    publish(session_factory, again.json()["version"]["id"])
    refused = client.delete(f"schedules/{again.json()['version']['id']}/import")
    assert refused.status_code == 409
    assert "published" in refused.json()["error"]["message"]


def test_problems_answer_422_naming_row_and_column_and_store_nothing(
    client: TestClient, session_factory: Factory, original: int
) -> None:
    text = "date,person_code,shift_code\n2026-07-01,NOBODY,NOPE\nsoon,x,y\n"
    before = counts(session_factory)
    refused = client.post("schedules/import-file", files={"file": ("b.csv", text, "text/csv")})
    assert refused.status_code == 422
    problems = refused.json()["error"]["details"]["problems"]
    assert [(p["row"], p["column"]) for p in problems][:3] == [(2, "B"), (2, "C"), (3, "A")]
    assert counts(session_factory) == before
    preview = client.post(
        "schedules/import-file/preview", files={"file": ("b.csv", text, "text/csv")}
    )
    assert preview.status_code == 200
    assert len(preview.json()["problems"]) == len(problems)


def test_unreadable_files_and_roles(
    client: TestClient, client_as: ClientAs, session_factory: Factory, original: int
) -> None:
    before = counts(session_factory)
    empty = client.post("schedules/import-file", files={"file": ("e.csv", b"", "text/csv")})
    assert empty.status_code == 422
    assert empty.json()["error"]["details"]["field"] == "file"
    formula = client.post(
        "schedules/import-file", files={"file": ("f.csv", "date\n=1+1\n", "text/csv")}
    )
    assert formula.status_code == 422
    assert "formula" in formula.json()["error"]["message"]
    resident = client_as("resident")
    csv_file = {"file": ("a.csv", "date,person_code,shift_code\n", "text/csv")}
    assert resident.post("schedules/import-file", files=csv_file).status_code == 403
    assert resident.post("schedules/import-file/preview", files=csv_file).status_code == 403
    assert counts(session_factory) == before


def test_the_upload_routes_allow_10_mb_and_no_more(
    client: TestClient, session_factory: Factory
) -> None:
    store_program(session_factory, "pediatrics")
    # 2 MB: over the default cap of every other route, read and judged here.
    name = "x" * (100 * 1024)  # the CSV reader's field limit is 128 KiB
    rows = "".join(f"2026-07-{d:02d},P1-01,{name},WARD\n" for d in range(1, 22))
    padded = "date,person_code,person_name,shift_code\n" + rows
    assert len(padded) > 2 * MIB
    judged = client.post("schedules/import-file/preview", files={"file": ("p.csv", padded)})
    assert judged.status_code == 200, judged.text
    assert judged.json()["assignments"] == 21
    too_large = client.post(
        "schedules/import-file/preview", files={"file": ("p.csv", b"\n" * (11 * MIB))}
    )
    assert too_large.status_code == 413
    assert "10 MB" in too_large.json()["error"]["message"]
    elsewhere = client.post(
        "people", content=b" " * (2 * MIB), headers={"content-type": "application/json"}
    )
    assert elsewhere.status_code == 413, "every other route keeps the default cap"


def test_the_routes_document_their_status_codes(app: FastAPI) -> None:
    paths = app.openapi()["paths"]
    post = paths["/api/v1/schedules/import-file"]["post"]["responses"]
    assert {"201", "401", "403", "409", "413", "422"} <= set(post)
    preview = paths["/api/v1/schedules/import-file/preview"]["post"]["responses"]
    assert {"200", "401", "403", "413", "422"} <= set(preview)
    undo = paths["/api/v1/schedules/{version_id}/import"]["delete"]["responses"]
    assert {"204", "401", "403", "404", "409", "422"} <= set(undo)
