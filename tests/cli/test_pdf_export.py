"""``resched export pdf compliance`` and ``resched export pdf calls`` against a real database:
files whose text is the report's, drafts included for the operator, and exit 2 with the
reason for every bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner, Result

from resched.cli import app
from resched.services.schedule_import import import_schedule
from tests.pdf_text import page_count, pdf_text
from tests.schedule_data import store_program, troubled_doc

pytestmark = pytest.mark.db


@pytest.fixture
def version(database_url: str, session_factory: sessionmaker[Session]) -> int:
    store_program(session_factory)
    document = troubled_doc()
    document["assignments"].append({"person": "r2", "date": "2026-07-25", "shift": "CALL"})
    return import_schedule(factory=session_factory, document=document).version.id


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def test_the_compliance_report_of_a_range(database_url: str, version: int, tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    result = run("export", "pdf", "compliance", "--version", str(version), "--start",
                 "2026-07-01", "--end", "2026-07-28", "-o", str(out), "--database-url",
                 database_url)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.stderr
    data = out.read_bytes()
    text = pdf_text(data).replace("\n", " ")
    assert "July 1, 2026 to July 28, 2026" in text
    assert "Ada Lee (PGY-1)" in text  # 12 h every day of these four weeks
    assert "Cy Park (PGY-3)" in text
    assert page_count(data) >= 2


def test_the_call_schedule_of_a_month_drafts_included(
    database_url: str, version: int, tmp_path: Path
) -> None:
    out = tmp_path / "calls.pdf"
    result = run("export", "pdf", "calls", "--version", str(version), "--month", "2026-07",
                 "-o", str(out), "--database-url", database_url)  # fmt: skip
    assert result.exit_code == 0, result.output
    text = pdf_text(out.read_bytes()).replace("\n", " ")
    assert "Call schedule, July 2026" in text
    assert "CALL: Ben Ode" in text
    assert "(draft)" in text


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("compliance", "--start", "2026-7-1"), ("--start", "YYYY-MM-DD")),
        (("compliance", "--start", "2026-07-10", "--end", "2026-07-01"), ("before the start",)),
        (("compliance", "--version", "999"), ("999",)),
        (("calls", "--month", "2026-13"), ("--month", "YYYY-MM")),
        (("calls", "--month", "July"), ("--month",)),
        (("calls", "--version", "999", "--month", "2026-07"), ("999",)),
    ],
)
def test_bad_input_exits_2_with_the_reason(
    database_url: str, version: int, tmp_path: Path, args: tuple[str, ...], words: tuple[str, ...]
) -> None:
    out = tmp_path / "x.pdf"
    result = run("export", "pdf", *args, "-o", str(out), "--database-url", database_url)
    assert result.exit_code == 2, result.output
    for word in words:
        assert word in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()


def test_an_unwritable_file_exits_2(database_url: str, version: int, tmp_path: Path) -> None:
    out = tmp_path / "missing-folder" / "calls.pdf"
    result = run("export", "pdf", "calls", "--month", "2026-07", "-o", str(out),
                 "--database-url", database_url)  # fmt: skip
    assert result.exit_code == 2
    assert "cannot write" in result.stderr
