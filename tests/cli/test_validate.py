"""``resched validate``: table or JSON report, exit 0 / 1 / 2, stdin, no tracebacks."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from resched.cli.validate import validate_command
from resched.core.interchange import MAX_DOCUMENT_BYTES
from tests.core.test_interchange import EXAMPLE


def make_app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """Keep ``validate`` a subcommand, as in the real application."""

    app.command("validate")(validate_command)
    return app


def run(args: list[str], stdin: bytes | None = None) -> Any:
    return CliRunner().invoke(make_app(), ["validate", *args], input=stdin)


def write(tmp_path: Path, document: Any, name: str = "schedule.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(document))
    return str(path)


def compliant() -> dict[str, Any]:
    document = copy.deepcopy(EXAMPLE)
    document["logged_work"] = []
    return document


def test_compliant_schedule_exits_0_with_a_table(tmp_path: Path) -> None:
    result = run([write(tmp_path, compliant())])
    assert result.exit_code == 0, result.output
    assert "No findings." in result.stdout
    assert "COMPLIANT" in result.stdout


def test_violations_exit_1_and_are_listed(tmp_path: Path) -> None:
    result = run([write(tmp_path, EXAMPLE)])
    assert result.exit_code == 1
    assert "moonlighting-pgy1" in result.stdout
    assert "Ada Lee: 5 h of moonlighting logged Jul 5" in result.stdout
    assert "NOT COMPLIANT: 1 violation(s)" in result.stdout


def test_warnings_only_exit_0(tmp_path: Path) -> None:
    document = compliant()
    document["absences"] = []
    document["shift_types"].append(
        {"code": "L16", "name": "Long", "start": "06:00", "minutes": 960, "kind": "work"}
    )
    document["assignments"] = [
        {"person": "r1", "date": f"2026-07-{day:02d}", "shift": "L16"} for day in range(1, 21)
    ]  # 80.0 h/week: a warning, not a violation
    result = run([write(tmp_path, document), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["compliant"] is True
    assert report["summary"]["warnings"] == 1


def test_json_report_from_stdin() -> None:
    result = run(["--json", "-"], stdin=json.dumps(EXAMPLE).encode())
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["format"] == "resched.compliance/v1"
    assert report["summary"] == {"violations": 1, "warnings": 0, "people": 2, "assignments": 2}


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"{not json", "not valid JSON"),
        (b"[]", "expected a JSON object"),
        (
            json.dumps({**EXAMPLE, "format": "nope"}).encode(),
            'format: expected "resched.schedule/v1"',
        ),
    ],
)
def test_unreadable_input_exits_2_with_a_message(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    result = run([str(path)])
    assert result.exit_code == 2
    assert expected in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.output


def test_error_names_the_path(tmp_path: Path) -> None:
    document = copy.deepcopy(EXAMPLE)
    document["shift_types"] = document["shift_types"][:1]
    result = run([write(tmp_path, document)])
    assert result.exit_code == 2
    assert 'assignments[1].shift: unknown shift type "CALL"' in result.stderr


@pytest.mark.parametrize(
    ("replace", "expected"),
    [
        (('"hours_per_week_limit": 80', '"hours_per_week_limit": 1e400'), "expected a finite"),
        (('"2026-07-02"', '"9999-12-31"'), 'assignments[1].date: out of range "9999-12-31"'),
        (('"2026-07-01"', '"0001-01-01"'), 'range.start: out of range "0001-01-01"'),
        (('"minutes": 1440', '"minutes": 1e20'), "shift_types[1].minutes: must be <= 10080"),
    ],
)
def test_extreme_values_exit_2_without_a_traceback(
    tmp_path: Path, replace: tuple[str, str], expected: str
) -> None:
    text = json.dumps(EXAMPLE)
    assert replace[0] in text
    path = tmp_path / "extreme.json"
    path.write_text(text.replace(*replace))
    result = run([str(path)])
    assert result.exit_code == 2, result.output
    assert expected in result.stderr
    assert "Traceback" not in result.output


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = run([str(tmp_path / "absent.json")])
    assert result.exit_code == 2
    assert "cannot read" in result.stderr
    assert "Traceback" not in result.output


def test_oversized_stdin_exits_2() -> None:
    result = run(["-"], stdin=b" " * (MAX_DOCUMENT_BYTES + 1))
    assert result.exit_code == 2
    assert "too large" in result.stderr
