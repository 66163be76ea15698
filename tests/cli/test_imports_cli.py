"""``resched import people|rotations|absences FILE [--apply] [--json]`` and
``resched import undo BATCH_ID`` against a real database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner, Result

from resched.cli import app
from resched.services.people import list_people
from tests.import_data import PROGRAMS, csv_bytes, data_rows, xlsx_bytes

pytestmark = pytest.mark.db


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def _file(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_preview_apply_and_undo(
    database_url: str, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    PROGRAMS["pediatrics"](session_factory)
    before = data_rows(database_url)
    rows = [["code", "name", "role"], ["p1", "Dr Renamed", "resident"], ["F9", "Fay", "faculty"]]
    path = _file(tmp_path, "people.xlsx", xlsx_bytes(rows))
    preview = run("import", "people", path, "--database-url", database_url)
    assert preview.exit_code == 0, preview.output
    assert "1 to create, 1 to change" in preview.stdout
    assert "update  row 2: p1 (name: 'Dr P1' -> 'Dr Renamed')" in preview.stdout
    assert data_rows(database_url) == before
    applied = run("import", "people", path, "--apply", "--json", "--database-url", database_url)
    assert applied.exit_code == 0, applied.output
    batch = json.loads(applied.stdout)
    assert batch["status"] == "applied"
    assert "F9" in {p.code for p in list_people(factory=session_factory, limit=200).items}
    undone = run("import", "undo", str(batch["id"]), "--database-url", database_url)
    assert undone.exit_code == 0, undone.output
    assert "undone" in undone.stdout
    assert data_rows(database_url) == before
    again = run("import", "undo", str(batch["id"]), "--database-url", database_url)
    assert again.exit_code == 2
    assert "undone" in again.stderr


def test_problems_and_bad_files_exit_2(database_url: str, tmp_path: Path) -> None:
    header = ["person", "start", "end", "type"]
    path = _file(
        tmp_path,
        "leave.csv",
        csv_bytes([header, ["nobody", "2026-09-01", "2026-09-02", "vacation"]]),
    )
    result = run("import", "absences", path, "--apply", "--database-url", database_url)
    assert result.exit_code == 2
    assert (
        "problem: sheet leave.csv, row 2, column A: no person has the code 'nobody'"
        in result.stderr
    )
    assert data_rows(database_url)["absence"] == []
    renamed = _file(tmp_path, "rotations.xlsx", csv_bytes([["code", "name"], ["A", "B"]]))
    refused = run("import", "rotations", renamed, "--database-url", database_url)
    assert refused.exit_code == 2
    assert "error:" in refused.stderr
    assert "Traceback" not in refused.output
    missing = run("import", "people", str(tmp_path / "none.csv"), "--database-url", database_url)
    assert missing.exit_code == 2
    assert "cannot read" in missing.stderr
    assert data_rows(database_url)["rotation"] == []


def test_undo_refused_lists_the_blockers(
    database_url: str, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    PROGRAMS["pediatrics"](session_factory)
    rows = [["person", "start", "end", "type"], ["p2", "2026-09-01", "2026-09-05", "vacation"]]
    path = _file(tmp_path, "leave.csv", csv_bytes(rows))
    applied = run("import", "absences", path, "--apply", "--json", "--database-url", database_url)
    batch = json.loads(applied.stdout)
    from resched.services import absences

    (created,) = [
        a
        for a in absences.list_absences(factory=session_factory, limit=200).items
        if a.start.isoformat() == "2026-09-01"
    ]
    assert created.id is not None
    absences.delete_absence(factory=session_factory, absence_id=created.id)
    refused = run("import", "undo", str(batch["id"]), "--database-url", database_url)
    assert refused.exit_code == 2
    assert f"blocked by: absence {created.id} was deleted after the import" in refused.stderr


def test_people_from_an_interchange_document(
    database_url: str, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    PROGRAMS["pediatrics"](session_factory)
    before = data_rows(database_url)
    document = {
        "format": "resched.schedule/v1",
        "people": [
            {"id": "p1", "name": "Dr Renamed", "role": "resident"},
            {"id": "F9", "name": "Fay", "role": "faculty"},
        ],
    }
    path = _file(tmp_path, "people.json", json.dumps(document).encode())
    applied = run("import", "people", path, "--apply", "--json", "--database-url", database_url)
    assert applied.exit_code == 0, applied.output
    batch = json.loads(applied.stdout)
    assert batch["summary"]["create"] == 1
    assert batch["summary"]["update"] == 1
    assert "F9" in {p.code for p in list_people(factory=session_factory, limit=200).items}
    assert run("import", "undo", str(batch["id"]), "--database-url", database_url).exit_code == 0
    assert data_rows(database_url) == before
    document["people"][1]["role"] = "surgeon"
    bad = _file(tmp_path, "bad.json", json.dumps(document).encode())
    result = run("import", "people", bad, "--apply", "--database-url", database_url)
    assert result.exit_code == 2
    assert "row 2, column people[1].role: expected resident or faculty" in result.stderr
    shapeless = _file(tmp_path, "shapeless.json", b'{"format": "resched.schedule/v1"}')
    refused = run("import", "people", shapeless, "--database-url", database_url)
    assert refused.exit_code == 2
    assert "people: expected an array, it is missing" in refused.stderr
    assert "Traceback" not in refused.output
    assert data_rows(database_url) == before
