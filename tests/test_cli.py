"""The ``resched`` command line, driven through Typer's runner against a real database (a
fresh SQLite file, or a fresh PostgreSQL database when RESCHED_TEST_DATABASE_URL is set)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import typer.main
from sqlalchemy import func, select
from typer.testing import CliRunner, Result

from resched.cli import app
from resched.db.session import create_engine_for
from resched.db.tables import PersonRow, ProgramRow, UserRow

runner = CliRunner()


def _command_paths(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield path
    # Duck-typed: Typer ships its own copy of click, so click.Group is not its base class.
    for name, sub in getattr(command, "commands", {}).items():
        yield from _command_paths(sub, (*path, name))


# Read from the app itself, so a command added later is covered without editing this list.
COMMANDS = list(_command_paths(typer.main.get_command(app)))


def _run(*args: str, stdin: str | None = None) -> Result:
    return runner.invoke(app, list(args), input=stdin)


def _count(url: str, table: type[PersonRow | ProgramRow | UserRow]) -> int:
    engine = create_engine_for(url)
    try:
        with engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(table)) or 0
    finally:
        engine.dispose()


def _refused(result: Result, *words: str) -> None:
    """Exit 2 with the words on stderr and no traceback anywhere."""
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    for word in words:
        assert word in result.stderr
    assert "Traceback" not in result.output


def test_every_command_is_listed() -> None:
    assert {("db", "upgrade"), ("demo",), ("user", "create"), ("serve",), ("validate",)} <= set(
        COMMANDS
    )


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "resched")
def test_help_works(path: tuple[str, ...]) -> None:
    result = _run(*path, "--help")
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.stdout


@pytest.mark.db
def test_db_upgrade_twice(fresh_database_url: str) -> None:
    for _ in range(2):
        result = _run("db", "upgrade", "--database-url", fresh_database_url)
        assert result.exit_code == 0, result.output
        assert "database at head" in result.stdout


@pytest.mark.db
def test_demo_loads_once_then_refuses(fresh_database_url: str) -> None:
    first = _run("demo", "--database-url", fresh_database_url)
    assert first.exit_code == 0, first.output
    assert "Loaded demo program" in first.stdout
    assert "36 residents, 16 faculty" in first.stdout

    second = _run("demo", "--database-url", fresh_database_url, "--seed", "7")
    _refused(second, "error:", "already holds the program")
    assert _count(fresh_database_url, ProgramRow) == 1
    assert _count(fresh_database_url, PersonRow) == 52


@pytest.mark.db
def test_demo_refuses_an_impossible_size(fresh_database_url: str) -> None:
    result = _run("demo", "--database-url", fresh_database_url, "--residents", "25")
    _refused(result, "multiple of 3", "25")
    assert _count(fresh_database_url, PersonRow) == 0


@pytest.mark.db
def test_user_create_refuses_a_weak_password(fresh_database_url: str) -> None:
    assert _run("db", "upgrade", "--database-url", fresh_database_url).exit_code == 0
    args = ("user", "create", "--database-url", fresh_database_url, "--password-stdin")

    weak = _run(*args, "--username", "chief", "--role", "coordinator", stdin="short\n")
    _refused(weak, "password")
    bad_role = _run(*args, "--username", "chief", "--role", "root", stdin="x\n")
    _refused(bad_role, "--role")
    assert _count(fresh_database_url, UserRow) == 0

    good = _run(
        *args, "--username", "chief", "--role", "coordinator", stdin="plum-orchard-lantern-42\n"
    )
    assert good.exit_code == 0, good.output
    assert "'chief' created" in good.stdout
    assert _count(fresh_database_url, UserRow) == 1


@pytest.mark.db
@pytest.mark.parametrize(("demo", "people"), [(True, 52), (False, 0)])
def test_first_start_makes_an_admin_and_loads_the_demo_unless_empty(
    fresh_database_url: str, capsys: pytest.CaptureFixture[str], demo: bool, people: int
) -> None:
    """``serve --first-run`` (demo) and ``serve --first-run --empty`` (the admin sets the
    program up on /setup); a second start changes nothing and prints no password."""
    from resched.cli.program import first_start
    from resched.db.migrate import upgrade_to_head
    from tests.accounts import settings_for

    upgrade_to_head(fresh_database_url)
    settings = settings_for(fresh_database_url)
    first_start(settings, demo=demo)
    assert "password:" in capsys.readouterr().out
    assert (_count(fresh_database_url, ProgramRow), _count(fresh_database_url, PersonRow)) == (
        int(demo),
        people,
    )
    first_start(settings, demo=demo)
    assert "password:" not in capsys.readouterr().out
    assert _count(fresh_database_url, UserRow) == 1
    assert _count(fresh_database_url, PersonRow) == people
