"""Engines and the transaction helper."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

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
