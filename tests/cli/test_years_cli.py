"""``resched program year create | list`` on the test database."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner, Result

from resched.cli import app
from resched.services.academic_years import list_academic_years
from resched.services.audit import list_audit_events

pytestmark = pytest.mark.db
runner = CliRunner()


def _run(database_url: str, *args: str) -> Result:
    return runner.invoke(app, ["program", "year", *args, "--database-url", database_url])


def test_year_create_with_four_week_blocks_and_us_holidays(
    database_url: str, session_factory: sessionmaker[Session]
) -> None:
    args = ("--label", "2027-28", "--start", "2027-07-01", "--scheme", "four-weeks")
    result = _run(database_url, "create", *args, "--blocks", "13", "--us-holidays")
    assert result.exit_code == 0, result.output
    assert "2027-28: 2027-07-01..2028-06-30, 13 blocks, 11 holidays" in result.output
    (year,) = list_academic_years(factory=session_factory)
    assert year.blocks[-1].end.isoformat() == "2028-06-30"
    events = list_audit_events(factory=session_factory, entity="academic_year").items
    assert [e.actor.startswith("cli") for e in events] == [True]
    listed = _run(database_url, "list")
    assert "2027-28  2027-07-01..2028-06-30  four_week" in listed.output
    assert "2027-11-25" in listed.output  # Thanksgiving


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (
            (
                "--scheme",
                "explicit",
                "--block",
                "2027-07-01:2027-07-31",
                "--block",
                "2027-08-02:2028-06-30",
            ),
            "--block 2: block 2 leaves a gap",
        ),
        (("--scheme", "explicit", "--block", "2027-07-01"), "--block: expected START:END"),
        (
            (
                "--blocks",
                "6",
            ),
            "--blocks:",
        ),
        (
            (
                "--end",
                "2027-06-30",
            ),
            "--end:",
        ),
        (
            (
                "--holiday",
                "2029-01-01",
            ),
            "--holiday 1:",
        ),
        (
            (
                "--start",
                "2027-13-01",
            ),
            "--start: expected a date",
        ),
        (
            (
                "--scheme",
                "weekly",
            ),
            "Invalid value",
        ),
    ],
)
def test_year_create_refuses_bad_input_with_exit_2(
    database_url: str, session_factory: sessionmaker[Session], args: tuple[str, ...], words: str
) -> None:
    base = ["--label", "2027-28", "--start", "2027-07-01"]
    result = _run(database_url, "create", *base, *args)
    assert result.exit_code == 2, result.output
    assert words in result.output
    assert "Traceback" not in result.output
    assert list_academic_years(factory=session_factory) == []
