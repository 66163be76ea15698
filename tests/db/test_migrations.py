"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL,
and run from any working directory."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

import resched.db.tables
from resched.db.base import Base
from resched.db.migrate import (
    current_revision,
    downgrade_to,
    head_revision,
    is_at_head,
    upgrade_to_head,
)
from resched.db.session import create_engine_for


def _differences(engine: Engine) -> list[object]:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def test_models_and_migrations_agree(engine: Engine) -> None:
    assert _differences(engine) == []


def test_the_test_database_is_at_head(engine: Engine) -> None:
    assert current_revision(engine) == head_revision()
    assert is_at_head(engine)


def test_up_down_up_from_another_directory(
    fresh_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the migrations are found through the package, not the cwd
    engine = create_engine_for(fresh_database_url)
    try:
        assert current_revision(engine) is None
        assert not is_at_head(engine)
        upgrade_to_head(fresh_database_url)
        assert is_at_head(engine)
        assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
        downgrade_to(fresh_database_url, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        upgrade_to_head(fresh_database_url)
        assert _differences(engine) == []
    finally:
        engine.dispose()


def test_migration_file_names_are_dated() -> None:
    versions = Path(resched.db.migrate.__file__).parent / "migrations" / "versions"
    names = [p.name for p in versions.glob("*.py") if p.name != "__init__.py"]
    assert names
    assert all(name[:8].isdigit() and name[8] == "_" for name in names), names
