"""Database fixtures shared by tests/db, tests/services, tests/api and tests/web.

``RESCHED_TEST_DATABASE_URL`` (CI: a PostgreSQL server URL) makes every test session create a
fresh, uniquely named database on that server - one per xdist worker - and drop it at the
end. Without it each session gets a temporary SQLite file. Either way the database is migrated
once with ``upgrade_to_head`` and emptied before each test that asks for it.
"""

from __future__ import annotations

import gc
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from _pytest.nodeid import coerce_node_id
from sqlalchemy import Connection, Engine, create_engine, event, pool
from sqlalchemy.orm import Session, sessionmaker

from resched.db.base import Base
from resched.db.migrate import upgrade_to_head
from resched.db.session import create_engine_for, make_session_factory, normalize_url
from resched.services.read_cache import clear_read_caches
from tests import route_cache

TEST_DATABASE_ENV = "RESCHED_TEST_DATABASE_URL"
# Before any test builds an app: every app after the first reuses the routes' analysis.
route_cache.install()


# Directories whose tests share an expensive per-process start: a real server, Chromium and
# a seeded database (e2e), Celery workers and Redis (tasks). `pytest -n 2 --dist loadgroup`
# (make test) runs each directory's tests on one xdist worker, so that start happens once, not
# once per worker; the biggest groups are handed out first, so they do not finish last.
SHARED_START_GROUPS = {"e2e": "browser-and-server", "tasks": "job-workers"}
# Workers started by the tests run at the tests' own priority: on a site the busy client is a
# browser on another machine, here it is the test process beside the worker, and a worker at
# the production nice 10 would wait on it (tests/tasks/test_embedded.py checks nice 10).
os.environ["RESCHED_WORKER_NICE"] = "0"
_TESTS_ROOT = Path(__file__).parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if not item.path.is_relative_to(_TESTS_ROOT):
            continue
        group = SHARED_START_GROUPS.get(item.path.relative_to(_TESTS_ROOT).parts[0])
        if group is not None:
            item.add_marker(pytest.mark.xdist_group(group))
    _tag_xdist_groups(config, items)


def _tag_xdist_groups(config: pytest.Config, items: list[pytest.Item]) -> None:
    """What pytest-xdist 3.8 does for ``--dist loadgroup`` (the group's name after an ``@`` in
    the test's id, which the scheduler reads), done so pytest 9.2 sees it: xdist assigns
    ``item._nodeid``, but pytest 9.2 builds ``nodeid`` from ``item._id``; without this every
    group is spread over the workers and each starts the group's servers again."""
    if not getattr(config.option, "loadgroup", False):  # set on xdist workers
        return
    for item in items:
        names = sorted({str(mark.args[0]) for mark in item.iter_markers("xdist_group")})
        if names and "@" not in item.nodeid:
            item._id = coerce_node_id(f"{item.nodeid}@{'_'.join(names)}")


def pytest_collection_finish(session: pytest.Session) -> None:
    # Everything alive now (imported modules, collected tests) lives to the end of the run:
    # frozen, the collector stops walking it again in every full collection the tests trigger,
    # a tenth of an API or page test's CPU time. Nothing is kept that would otherwise be freed.
    gc.collect()
    gc.freeze()


def _database_name() -> str:
    # Worker id for humans reading pg_stat_activity; the random part for uniqueness across
    # concurrent CI jobs on one server.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return f"resched_test_{worker}_{uuid.uuid4().hex[:10]}"


@contextmanager
def postgres_database(server_url: str) -> Iterator[str]:
    """A new empty database on the server of ``server_url``, dropped on exit."""
    server = normalize_url(server_url)
    name = _database_name()
    admin = create_engine(server, isolation_level="AUTOCOMMIT", poolclass=pool.NullPool)
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            # FORCE (PostgreSQL 13+): a connection a failed test leaked must not keep it alive.
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@contextmanager
def temporary_database(directory: Path) -> Iterator[str]:
    """An empty, unmigrated database: on the PostgreSQL test server if configured, else a
    SQLite file in ``directory``."""
    server_url = os.environ.get(TEST_DATABASE_ENV)
    if server_url:
        with postgres_database(server_url) as url:
            yield url
    else:
        yield f"sqlite:///{directory / 'resched-test.db'}"


@pytest.fixture(scope="session")
def migrated_database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with temporary_database(tmp_path_factory.mktemp("db")) as url:
        upgrade_to_head(url)
        yield url


@pytest.fixture(scope="session")
def engine(migrated_database_url: str) -> Iterator[Engine]:
    engine = create_engine_for(migrated_database_url)
    yield engine
    engine.dispose()


def empty_all_tables(engine: Engine) -> None:
    # DELETE children before parents: on tables this small it is quicker than TRUNCATE (which
    # has a fixed cost per table on PostgreSQL) and it works the same on SQLite.
    children_first = list(reversed(Base.metadata.sorted_tables))
    clear_read_caches()  # SQLite reuses the emptied ids, the generation starts again: keys repeat
    with engine.begin() as connection, _audit_triggers_suspended(connection):
        if connection.dialect.name == "postgresql":
            # One round trip for all the DELETEs (psycopg sends a parameterless string of
            # several statements as one query): 28 separate ones took 0.1 s per test.
            connection.exec_driver_sql(
                "; ".join(f'DELETE FROM "{table.name}"' for table in children_first)
            )
            return
        for table in children_first:
            connection.execute(table.delete())


@contextmanager
def _audit_triggers_suspended(connection: Connection) -> Iterator[None]:
    """The database refuses to delete audit events (the append-only triggers of the accounts
    migration); only this test clean-up lifts that, inside its own transaction."""
    if connection.dialect.name == "postgresql":
        # Superuser only (the test server): ordinary triggers do not fire in replica mode.
        connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
        yield
        return
    triggers = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_event'"
    ).all()
    for name, _ in triggers:
        connection.exec_driver_sql(f'DROP TRIGGER "{name}"')
    yield
    for _, sql in triggers:
        connection.exec_driver_sql(sql)


@pytest.fixture
def database_url(migrated_database_url: str, engine: Engine) -> str:
    """The URL of the migrated test database, emptied for this test."""
    empty_all_tables(engine)
    return migrated_database_url


@pytest.fixture
def session_factory(database_url: str, engine: Engine) -> sessionmaker[Session]:
    """A session factory on the (emptied) test database."""
    return make_session_factory(engine)


@pytest.fixture
def fresh_database_url(tmp_path: Path) -> Iterator[str]:
    """A second, empty and unmigrated database, for tests that migrate up and down."""
    with temporary_database(tmp_path) as url:
        yield url


@dataclass
class StatementCounter:
    """Counts the SQL statements sent through an engine inside ``counting()``."""

    statements: list[str] = field(default_factory=list)
    active: bool = False

    def __call__(self, *args: Any) -> None:
        if self.active:
            self.statements.append(str(args[2]))

    @contextmanager
    def counting(self) -> Iterator[list[str]]:
        self.statements.clear()
        self.active = True
        try:
            yield self.statements
        finally:
            self.active = False

    def count(self, action: Callable[[], object]) -> int:
        with self.counting() as statements:
            action()
        return len(statements)


@pytest.fixture
def statement_counter(engine: Engine) -> Iterator[StatementCounter]:
    counter = StatementCounter()
    event.listen(engine, "before_cursor_execute", counter)
    yield counter
    event.remove(engine, "before_cursor_execute", counter)


def is_postgres(url: str) -> bool:
    return normalize_url(url).get_backend_name() == "postgresql"
