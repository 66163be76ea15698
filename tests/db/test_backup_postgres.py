"""The PostgreSQL commands of docs/deployment.md "Backup and restore", as written there: a
``pg_dump -Fc`` of the demo restored with ``pg_restore --clean --if-exists`` into another
database (twice: the second replaces the first) holds every row of every table.

In tests/db so that `make test` runs it in the PostgreSQL tier; the SQLite run skips it."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete
from sqlalchemy.exc import DBAPIError

from resched.db.migrate import upgrade_to_head
from resched.db.session import create_engine_for, make_session_factory, normalize_url
from resched.db.tables.audit import AuditEventRow
from tests.conftest import TEST_DATABASE_ENV, postgres_database
from tests.table_rows import rows_of_every_table
from tests.web.programs import PROGRAMS, store_program

pytestmark = [
    pytest.mark.db,
    pytest.mark.skipif(not os.environ.get(TEST_DATABASE_ENV), reason="needs PostgreSQL"),
    pytest.mark.skipif(not shutil.which("pg_dump"), reason="needs pg_dump and pg_restore"),
]


def _libpq(url: str) -> str:
    """The URL as pg_dump takes it: libpq knows no ``+psycopg``."""
    return normalize_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture
def two_databases() -> Iterator[tuple[str, str]]:
    server = os.environ[TEST_DATABASE_ENV]
    with postgres_database(server) as source, postgres_database(server) as target:
        yield source, target


@pytest.mark.parametrize("program", PROGRAMS)
def test_pg_dump_and_pg_restore_as_documented_restore_every_row(
    program: str, two_databases: tuple[str, str], tmp_path: Path
) -> None:
    source, target = two_databases
    upgrade_to_head(source)
    engine = create_engine_for(source)
    store_program(make_session_factory(engine), program)
    engine.dispose()
    dump = tmp_path / "resched.dump"

    subprocess.run(["pg_dump", "-Fc", "-f", str(dump), _libpq(source)], check=True)
    subprocess.run(["pg_restore", "--list", str(dump)], check=True, capture_output=True)
    restore = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction"]
    for _ in range(2):
        subprocess.run([*restore, "--exit-on-error", "-d", _libpq(target), str(dump)], check=True)

    expected = rows_of_every_table(source)
    # A program, not an empty schema:
    assert expected["person"]
    assert expected["audit_event"]
    assert rows_of_every_table(target) == expected
    engine = create_engine_for(target)
    try:
        # The audit trail's append-only triggers came back with the tables.
        with pytest.raises(DBAPIError), engine.begin() as connection:
            connection.execute(delete(AuditEventRow))
    finally:
        engine.dispose()
