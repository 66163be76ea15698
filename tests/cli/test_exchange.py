"""``resched import interchange`` and ``resched export interchange`` against a real database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner, Result

from resched.cli import app
from resched.services.schedules import list_schedules
from tests.schedule_data import base_doc, publish, store_program, troubled_doc

pytestmark = pytest.mark.db


@pytest.fixture
def url(database_url: str, session_factory: sessionmaker[Session]) -> str:
    store_program(session_factory)
    return database_url


def run(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(app, list(args), input=stdin)


def refused(result: Result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    for word in words:
        assert word in result.stderr, result.stderr
    assert "Traceback" not in result.output


def write(tmp_path: Path, document: Any) -> str:
    path = tmp_path / "schedule.json"
    path.write_text(json.dumps(document))
    return str(path)


def test_import_then_export_round_trips(url: str, tmp_path: Path) -> None:
    document = troubled_doc()
    document["program"]["rules"]["foo"] = 1

    imported = run("import", "interchange", write(tmp_path, document), "--label", "Trial",
                   "--database-url", url)  # fmt: skip

    assert imported.exit_code == 0, imported.output
    assert "imported draft version" in imported.stdout
    assert "'Trial'" in imported.stdout
    assert "note: program.rules.foo is not a known setting; ignored" in imported.stderr

    exported = run("export", "interchange", "--database-url", url)
    assert exported.exit_code == 0, exported.output
    out = json.loads(exported.stdout)
    assert out["format"] == "resched.schedule/v1"
    pick = lambda doc: sorted((a["person"], a["date"], a["shift"]) for a in doc["assignments"])  # noqa: E731
    assert pick(out) == pick(document)


def test_export_to_a_file_with_a_range(
    url: str, tmp_path: Path, session_factory: sessionmaker[Session]
) -> None:
    assert (
        run(
            "import", "interchange", write(tmp_path, troubled_doc()), "--database-url", url
        ).exit_code
        == 0
    )
    (version,) = list_schedules(factory=session_factory).items
    target = tmp_path / "out.json"
    result = run("export", "interchange", "--version", str(version.id), "--start", "2026-07-08",
                 "--end", "2026-07-14", "-o", str(target), "--database-url", url)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert json.loads(target.read_text())["range"] == {"start": "2026-07-08", "end": "2026-07-14"}


def test_import_reads_stdin(url: str) -> None:
    doc = base_doc().assign("r1", 0, "DAY").doc
    result = run("import", "interchange", "-", "--database-url", url, stdin=json.dumps(doc))
    assert result.exit_code == 0, result.output
    assert "1 assignments" in result.stdout


@pytest.mark.parametrize(
    ("document", "words"),
    [
        ("{not json", ["document: not valid JSON"]),
        ({"format": "x"}, ["format:", "resched.schedule/v1"]),
        (
            {
                **base_doc().doc,
                "assignments": [{"person": "zz", "date": "2026-07-01", "shift": "DAY"}],
            },
            ["assignments[0].person", 'unknown person "zz"'],
        ),
    ],
)
def test_import_refuses_bad_documents_with_the_path(
    url: str, tmp_path: Path, document: Any, words: list[str]
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    refused(run("import", "interchange", str(path), "--database-url", url), *words)


def test_import_refuses_a_code_the_program_does_not_know(url: str, tmp_path: Path) -> None:
    doc = base_doc().resident("r9", 2).assign("r9", 0, "DAY").doc
    refused(run("import", "interchange", write(tmp_path, doc), "--database-url", url),
            "people[4].id", 'unknown person "r9"')  # fmt: skip


def test_missing_file_and_bad_options_exit_2(url: str, tmp_path: Path) -> None:
    refused(run("import", "interchange", str(tmp_path / "nope.json"), "--database-url", url),
            "cannot read")  # fmt: skip
    refused(run("export", "interchange", "--database-url", url), "no schedule to export")
    refused(run("export", "interchange", "--start", "01/07/2026", "--database-url", url),
            "--start: expected a date YYYY-MM-DD")  # fmt: skip
    refused(run("export", "interchange", "--version", "999999", "--database-url", url),
            "schedule_version 999999 not found")  # fmt: skip


def test_export_refuses_an_end_before_the_start(
    url: str, tmp_path: Path, session_factory: sessionmaker[Session]
) -> None:
    assert (
        run(
            "import", "interchange", write(tmp_path, troubled_doc()), "--database-url", url
        ).exit_code
        == 0
    )
    refused(run("export", "interchange", "--start", "2026-07-10", "--end", "2026-07-01",
                "--database-url", url), "end:", "before the start")  # fmt: skip


def test_export_prefers_the_published_version(
    url: str, tmp_path: Path, session_factory: sessionmaker[Session]
) -> None:
    first = write(tmp_path, base_doc().assign("r1", 0, "DAY").doc)
    assert run("import", "interchange", first, "--database-url", url).exit_code == 0
    second = tmp_path / "second.json"
    second.write_text(json.dumps(base_doc().assign("r2", 1, "DAY").doc))
    assert run("import", "interchange", str(second), "--database-url", url).exit_code == 0
    oldest = list_schedules(factory=session_factory).items[-1]
    publish(session_factory, oldest.id)
    out = json.loads(run("export", "interchange", "--database-url", url).stdout)
    assert [a["person"] for a in out["assignments"]] == ["r1"]


def test_an_unmigrated_database_is_a_clear_error(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    refused(run("export", "interchange", "--database-url", url), "resched db upgrade")
