"""``resched import schedule FILE``: a grid workbook, a CSV or an interchange document as a
draft; ``--dry-run`` writes nothing; problems exit 2 naming sheet, row and column."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner, Result

from resched.cli import app
from resched.services.calendar_feed.csv_export import assignments_csv
from resched.services.schedules import export_schedule
from tests.schedule_file_data import (
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
DAYS = 10


@pytest.fixture
def original(session_factory: Factory) -> int:
    store_program(session_factory, "pediatrics")
    return store_schedule(session_factory, START, DAYS)


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def test_a_workbook_dry_run_then_imported(
    database_url: str, session_factory: Factory, original: int, tmp_path: Path
) -> None:
    triples = version_triples(session_factory, original)
    path = tmp_path / "july.xlsx"
    path.write_bytes(grid_workbook(triples, program_people(session_factory), START, DAYS))
    before = counts(session_factory)

    dry = run("import", "schedule", str(path), "--dry-run", "--database-url", database_url)
    assert dry.exit_code == 0, dry.output
    assert f"would import {len(triples)} assignments" in dry.stdout
    assert counts(session_factory) == before

    done = run("import", "schedule", str(path), "--label", "Old", "--json",
               "--database-url", database_url)  # fmt: skip
    assert done.exit_code == 0, done.output
    answer = json.loads(done.stdout)
    assert answer["summary"]["assignments"] == len(triples)
    assert version_triples(session_factory, answer["version_id"]) == triples


@pytest.mark.parametrize("kind", ["csv", "json"])
def test_the_csv_export_and_the_interchange_document(
    database_url: str, session_factory: Factory, original: int, tmp_path: Path, kind: str
) -> None:
    path = tmp_path / f"schedule.{kind}"
    if kind == "csv":
        path.write_text(assignments_csv(factory=session_factory, version_id=original).text)
    else:
        path.write_text(json.dumps(export_schedule(factory=session_factory, version_id=original)))
    done = run("import", "schedule", str(path), "--database-url", database_url)
    assert done.exit_code == 0, done.output
    assert "imported draft version" in done.stdout


def test_problems_exit_2_by_row_and_column_and_write_nothing(
    database_url: str, session_factory: Factory, original: int, tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "2026-07"
    sheet.append(["July"])
    sheet.append(["Code", "Name", "Level", dt.date(2026, 7, 1), "tomorrow"])
    sheet.append(["P1-01", "Ana", "PGY-1", "WARD + NOPE"])
    sheet.append(["ZZ", "Who", "", "WARD"])
    path = tmp_path / "bad.xlsx"
    book.save(path)
    before = counts(session_factory)
    result = run("import", "schedule", str(path), "--database-url", database_url)
    assert result.exit_code == 2, result.output
    assert 'sheet 2026-07, row 2, column E: "tomorrow" is not a date' in result.stderr
    assert 'sheet 2026-07, row 3, column D: unknown shift type "NOPE"' in result.stderr
    assert 'sheet 2026-07, row 4, column A: unknown person "ZZ"' in result.stderr
    assert "Traceback" not in result.output
    as_json = run("import", "schedule", str(path), "--json", "--database-url", database_url)
    assert as_json.exit_code == 2
    assert len(json.loads(as_json.stdout)["problems"]) == 3
    assert counts(session_factory) == before


def test_a_plan_workbook_and_unreadable_files(
    database_url: str, session_factory: Factory, original: int, tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    book.active.append(["Rotation plan 2026-27"])
    book.active.append(["Code", "Name", "PGY", "Block 1", "Block 2"])
    book.active.append(["P1-01", "Ana", 1, "WARDS", "PICU"])
    plan = tmp_path / "plan.xlsx"
    book.save(plan)
    result = run("import", "schedule", str(plan), "--database-url", database_url)
    assert result.exit_code == 2
    assert "looks like a rotation plan" in result.stderr

    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert run("import", "schedule", str(empty), "--database-url", database_url).exit_code == 2
    missing = run("import", "schedule", str(tmp_path / "nope.csv"), "--database-url", database_url)
    assert missing.exit_code == 2
    assert "cannot read" in missing.stderr
