"""Engines and the transaction helper."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from resched.cli import app
from resched.core.model import Role
from resched.db.session import create_engine_for, normalize_url, transaction
from resched.db.tables import PersonRow


@pytest.mark.parametrize(
    "given",
    ["postgresql://u@h/db", "postgres://u@h/db", "postgresql+psycopg2://u@h/db"],
)
def test_postgres_urls_use_psycopg3(given: str) -> None:
    url = normalize_url(given)
    assert url.drivername == "postgresql+psycopg"
    assert (url.username, url.host, url.database) == ("u", "h", "db")


def test_sqlite_urls_are_left_alone() -> None:
    assert normalize_url("sqlite:///var/x.db").drivername == "sqlite"


def test_sqlite_engine_creates_the_directory_and_sets_pragmas(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "dir" / "resched.db"
    engine = create_engine_for(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            pragma = connection.exec_driver_sql
            assert pragma("PRAGMA foreign_keys").scalar() == 1
            assert pragma("PRAGMA journal_mode").scalar() == "wal"
            assert pragma("PRAGMA busy_timeout").scalar() == 5000
        assert path.exists()
    finally:
        engine.dispose()


def _count_people(factory: sessionmaker[Session]) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(PersonRow)) or 0


def test_sqlite_database_is_owner_only_after_upgrade(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database holds accounts and absences: `resched db upgrade` on a fresh path leaves
    var/ 0700 and the database with its WAL files 0600, whatever the umask."""
    monkeypatch.chdir(tmp_path)
    usual = os.umask(0o022)  # the usual umask: files 0644, directories 0755
    try:
        result = CliRunner().invoke(app, ["db", "upgrade", "--database-url", "sqlite:///var/x.db"])
    finally:
        os.umask(usual)
    assert result.exit_code == 0, result.output
    engine = create_engine_for("sqlite:///var/x.db")
    try:
        with engine.begin() as connection:  # a write: SQLite creates the -wal and -shm files
            connection.execute(PersonRow.__table__.delete())
            assert (tmp_path / "var" / "x.db-wal").exists()
            assert _mode(tmp_path / "var") == 0o700
            for name in ("x.db", "x.db-wal", "x.db-shm"):
                assert _mode(tmp_path / "var" / name) == 0o600, name
    finally:
        engine.dispose()


def test_an_existing_world_readable_database_is_tightened(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    path.touch(mode=0o644)
    path.chmod(0o644)
    create_engine_for(f"sqlite:///{path}").dispose()
    assert _mode(path) == 0o600


def test_database_errors_do_not_show_bound_values(tmp_path: Path) -> None:
    """An unhandled database error is logged with its message: no password hash in it."""
    engine = create_engine_for(f"sqlite:///{tmp_path / 'x.db'}")
    try:
        with engine.connect() as connection, pytest.raises(DBAPIError) as failed:
            connection.exec_driver_sql("SELECT * FROM nowhere WHERE x = ?", ("hash-value-77",))
    finally:
        engine.dispose()
    assert "nowhere" in str(failed.value)
    assert "hash-value-77" not in str(failed.value)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_transaction_commits_on_success(session_factory: sessionmaker[Session]) -> None:
    with transaction(session_factory) as session:
        session.add(PersonRow(code="a", name="A", role=Role.RESIDENT, credentials=[]))
    assert _count_people(session_factory) == 1


def test_transaction_rolls_back_on_error(session_factory: sessionmaker[Session]) -> None:
    def fail_after_a_write() -> None:
        with transaction(session_factory) as session:
            session.add(PersonRow(code="a", name="A", role=Role.RESIDENT, credentials=[]))
            session.flush()  # the row reached the database before the failure
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        fail_after_a_write()
    assert _count_people(session_factory) == 0
