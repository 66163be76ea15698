"""/api/v1/imports: upload and preview, apply, undo, list - and malicious or broken files
refused with a clear error and nothing written."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from resched.db.tables import UserRole
from resched.io.uploads import MAX_UPLOAD_BYTES
from resched.services.imports import batches
from tests.api.conftest import ClientAs
from tests.import_data import PROGRAMS, csv_bytes, data_rows, xlsx_bytes
from tests.job_helpers import RecordingQueue, inline_runtime, work_off
from tests.table_rows import rows_of_every_table

URL = "/imports"
PEOPLE = [["code", "name", "role", "email"], ["N1", "New One", "faculty", "n1@example.org"]]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload(client: TestClient, data: bytes, name: str, kind: str = "people") -> dict:
    response = client.post(
        URL, files={"file": (name, data, "application/octet-stream")}, data={"kind": kind}
    )
    return {**response.json(), "http": response.status_code}


@pytest.mark.parametrize("program", sorted(PROGRAMS))
def test_upload_apply_undo(
    program: str, client: TestClient, session_factory: sessionmaker[Session], database_url: str
) -> None:
    PROGRAMS[program](session_factory)
    before = data_rows(database_url)
    preview = _upload(client, xlsx_bytes(PEOPLE), "staff list.xlsx")
    assert preview["http"] == 201, preview
    assert preview["summary"]["create"] == 1
    assert preview["problems"] == []
    assert preview["file_kind"] == "xlsx"
    assert preview["status"] == "previewed"
    (change,) = preview["changes"]
    assert change["key"] == "N1"
    assert change["row"] == 2
    batch = preview["id"]
    assert client.get(f"{URL}/{batch}").json()["status"] == "previewed"
    applied = client.post(f"{URL}/{batch}/apply")
    assert applied.status_code == 200
    assert applied.json()["status"] == "applied"
    assert client.post(f"{URL}/{batch}/apply").status_code == 409
    listed = client.get(URL).json()
    assert [item["id"] for item in listed["items"]] == [batch]
    undone = client.post(f"{URL}/{batch}/undo")
    assert undone.status_code == 200
    assert undone.json()["status"] == "undone"
    assert data_rows(database_url) == before


def test_problems_by_row_and_column_block_apply(client: TestClient) -> None:
    rows = [["code", "name", "role"], ["A1", "Ann", "nurse"], ["A2", "", "faculty"]]
    preview = _upload(client, csv_bytes(rows), "people.csv")
    assert preview["http"] == 201
    assert [(p["row"], p["column"]) for p in preview["problems"]] == [(2, "C"), (3, "B")]
    refused = client.post(f"{URL}/{preview['id']}/apply")
    assert refused.status_code == 409
    assert "2 problem" in refused.json()["error"]["message"]


def test_undo_refused_names_the_blocker(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    preview = _upload(client, csv_bytes(PEOPLE), "p.csv")
    client.post(f"{URL}/{preview['id']}/apply")
    (person,) = client.get("/people").json()["items"]
    body = {"code": "N1", "name": "Edited", "role": "faculty"}
    assert client.put(f"/people/{person['id']}", json=body).status_code == 200
    refused = client.post(f"{URL}/{preview['id']}/undo")
    assert refused.status_code == 409
    assert refused.json()["error"]["details"]["blocked_by"] == [
        "person N1 was changed after the import"
    ]


def test_only_coordinators_import(client_as: ClientAs) -> None:
    resident = client_as(UserRole.RESIDENT)
    assert _upload(resident, csv_bytes(PEOPLE), "p.csv")["http"] == 403
    assert resident.get(URL).status_code == 403


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (150 * 1024 * 1024))
    return out.getvalue()


def _formula_workbook() -> bytes:
    return xlsx_bytes([["code", "name", "role"], ["F1", '=HYPERLINK("http://x")', "faculty"]])


MALICIOUS = {
    "zip bomb": (_zip_bomb, "people.xlsx", 422),
    "CSV renamed .xlsx": (lambda: csv_bytes(PEOPLE), "people.xlsx", 422),
    "formula cells": (_formula_workbook, "people.xlsx", 422),
    "empty": (lambda: b"", "people.csv", 422),
    "binary": (lambda: bytes(range(256)) * 10, "people.csv", 422),
    "over 10 MB": (lambda: b"a,b\n" * (3 * 1024 * 1024), "people.csv", 413),
    # Under the body cap (the file plus its multipart framing): refused by the route itself.
    "just over 10 MB": (lambda: b"a" * (MAX_UPLOAD_BYTES + 1), "people.csv", 413),
}


@pytest.mark.parametrize("case", sorted(MALICIOUS))
def test_malicious_files_are_refused_and_nothing_is_written(
    case: str, client: TestClient, database_url: str
) -> None:
    make, name, status = MALICIOUS[case]
    before = rows_of_every_table(database_url)
    refused = _upload(client, make(), name)
    assert refused["http"] == status, refused
    message = refused["error"]["message"]
    assert message
    assert "Traceback" not in message
    if status == 413:
        assert "10 MB" in message
    if status == 422:
        assert refused["error"]["details"]["field"] in {"file", "body.file"}
    after = rows_of_every_table(database_url)
    assert after["import_batch"] == []
    assert after == before


def test_a_file_with_missing_columns_is_refused(client: TestClient, database_url: str) -> None:
    refused = _upload(client, csv_bytes([["code", "name"], ["A", "B"]]), "p.csv")
    assert refused["http"] == 422
    assert "role" in refused["error"]["message"]
    assert rows_of_every_table(database_url)["import_batch"] == []


def test_an_unknown_kind_is_refused(client: TestClient) -> None:
    refused = _upload(client, csv_bytes(PEOPLE), "p.csv", kind="planets")
    assert refused["http"] == 422
    assert refused["error"]["details"]["field"] == "kind"


def test_a_large_import_applies_and_undoes_in_a_background_job(
    app: FastAPI,
    client: TestClient,
    database_url: str,
    session_factory: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(batches, "BACKGROUND_WRITES", 1)
    queue = RecordingQueue()
    app.state.job_queue = queue
    runtime = inline_runtime(database_url, session_factory)
    before = data_rows(database_url)
    rows = [*PEOPLE, ["N2", "New Two", "faculty", ""]]
    preview = _upload(client, csv_bytes(rows), "p.csv")
    queued = client.post(f"{URL}/{preview['id']}/apply")
    assert queued.status_code == 202
    assert queued.json()["kind"] == "import_batch"
    assert work_off(runtime, queue) == ["succeeded"]
    assert client.get(f"{URL}/{preview['id']}").json()["status"] == "applied"
    assert client.post(f"{URL}/{preview['id']}/undo").status_code == 202
    assert work_off(runtime, queue) == ["succeeded"]
    assert client.get(f"{URL}/{preview['id']}").json()["status"] == "undone"
    assert data_rows(database_url) == before


def test_people_and_absences_from_an_interchange_document(
    client: TestClient, session_factory: sessionmaker[Session], database_url: str
) -> None:
    PROGRAMS["pediatrics"](session_factory)
    before = data_rows(database_url)
    people = {
        "format": "resched.schedule/v1",
        "people": [{"id": "F9", "name": "Fay Nine", "role": "faculty"}],
    }
    preview = _upload(client, json.dumps(people).encode(), "people.json")
    assert preview["http"] == 201, preview
    assert preview["file_kind"] == "json"
    assert preview["summary"]["create"] == 1
    (change,) = preview["changes"]
    assert (change["key"], change["sheet"], change["row"]) == ("F9", "people[]", 1)
    assert client.post(f"{URL}/{preview['id']}/apply").status_code == 200
    absences = {
        "format": "resched.schedule/v1",
        "absences": [
            {"person": "F9", "start": "2026-09-01", "end": "2026-09-02", "type": "sick"},
            {"person": "F9", "start": "2026-09-02", "end": "2026-09-03", "type": "sick"},
        ],
    }
    clash = _upload(client, json.dumps(absences).encode(), "leave.json", kind="absences")
    assert clash["http"] == 201, clash
    assert [p["column"] for p in clash["problems"]] == ["absences[1].start"]
    assert client.post(f"{URL}/{clash['id']}/apply").status_code == 409
    assert client.post(f"{URL}/{preview['id']}/undo").status_code == 200
    assert data_rows(database_url) == before


def test_a_malformed_document_is_refused_naming_the_path(
    client: TestClient, database_url: str
) -> None:
    document = {"format": "resched.schedule/v1", "absences": [{"person": "x", "days": 3}]}
    refused = _upload(client, json.dumps(document).encode(), "leave.json", kind="absences")
    assert refused["http"] == 422
    assert refused["error"]["message"].startswith("absences[0].days: unknown key")
    assert rows_of_every_table(database_url)["import_batch"] == []
    rotations = _upload(client, json.dumps(document).encode(), "r.json", kind="rotations")
    assert rotations["http"] == 422
    assert "a JSON document; expected" in rotations["error"]["message"]
