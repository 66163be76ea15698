"""``resched program year next`` on the test database: a dry run writes nothing, the real run
promotes and takes the CSV class, bad CSV exits 2 naming the file, row and column."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner, Result

from resched.cli import app
from resched.services.academic_years import list_academic_years
from resched.services.audit import list_audit_events
from tests.rollover_data import levels_in, peds_program, row_counts

pytestmark = pytest.mark.db
runner = CliRunner()


def _run(database_url: str, *args: str) -> Result:
    return runner.invoke(app, ["program", "year", "next", *args, "--database-url", database_url])


def test_a_dry_run_then_the_next_year_from_a_csv_class(
    database_url: str, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    peds_program(session_factory)
    csv = tmp_path / "class.csv"
    csv.write_text("code,name,email,pgy\nped1c,Ivy Nolan,ivy@example.org,1\n", encoding="utf-8")
    counts = row_counts(session_factory)
    dry = _run(database_url, "--from", "2026", "--incoming", str(csv), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "would start academic year 2027-28: 2027-07-01..2028-06-30, 12 blocks" in dry.output
    assert "promoted 4, graduated 2 (PGY-3), leaving 0, incoming 1, faculty 1" in dry.output
    assert "coverage rule 'Thanksgiving ward' has dates of 2026-27 only" in dry.output
    assert row_counts(session_factory) == counts
    done = _run(database_url, "--from", "2026-27", "--incoming", str(csv), "--leaving", "ped1b")
    assert done.exit_code == 0, done.output
    assert "started academic year 2027-28" in done.output
    assert "  ped1a: PGY-1 -> PGY-2" in done.output
    new = list_academic_years(factory=session_factory)[-1]
    assert new.id is not None
    assert levels_in(session_factory, new.id) == {"ped1a": 2, "ped2a": 3, "ped2b": 3, "ped1c": 1}
    events = list_audit_events(factory=session_factory, entity="academic_year").items
    assert any(e.action == "start_next_year" and e.actor.startswith("cli") for e in events)
    again = _run(database_url, "--from", "2026-27")
    assert again.exit_code == 2
    assert "the next academic year exists: 2027-28" in again.output


@pytest.mark.parametrize(
    ("csv_text", "words"),
    [
        ("a1,A,,1\na2,B,,5\n", "row 2, column pgy: PGY-5 is not a level of the program (1-3)"),
        ("a1,A,,1\na1,B,,1\n", "row 2, column code: a1 is given twice (also row 1)"),
        ("ped2a,A,,1\n", "row 1, column code: a person with code ped2a exists"),
        ("a1,A,x@e.org\n", "row 1, column pgy: expected 4 columns"),
    ],
)
def test_a_bad_csv_exits_2_naming_row_and_column_and_writes_nothing(
    database_url: str,
    session_factory: sessionmaker[Session],
    tmp_path: Path,
    csv_text: str,
    words: str,
) -> None:
    peds_program(session_factory)
    csv = tmp_path / "class.csv"
    csv.write_text(csv_text, encoding="utf-8")
    counts = row_counts(session_factory)
    result = _run(database_url, "--from", "2026-27", "--incoming", str(csv))
    assert result.exit_code == 2, result.output
    assert f"--incoming {csv}: {words}" in result.output
    assert row_counts(session_factory) == counts


def test_unknown_year_leaving_code_and_missing_file_exit_2(
    database_url: str, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    peds_program(session_factory)
    assert "--from: no academic year '2030'" in _run(database_url, "--from", "2030").output
    left = _run(database_url, "--from", "2026-27", "--leaving", "zz")
    assert left.exit_code == 2
    assert "--leaving: 'zz' is not a resident of this year" in left.output
    missing = _run(database_url, "--from", "2026-27", "--incoming", str(tmp_path / "no.csv"))
    assert missing.exit_code == 2
    assert "--incoming: cannot read" in missing.output
