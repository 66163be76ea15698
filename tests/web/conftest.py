"""Fixtures for the page tests: an app on a fresh database, clients signed in with a session
cookie (a coordinator by default; ``web.client_as(role)`` for others; ``web.anonymous``), and
a SQL counter."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker

from resched.db.session import make_session_factory
from resched.db.tables import UserRole
from tests.accounts import add_user, make_app, page_client
from tests.web.programs import PROGRAMS, Stored, store_program
from tests.web.seed import Seeded, seed_program


@dataclass
class QueryCounter:
    """Counts the SQL statements an engine executes while ``counting`` is on."""

    statements: list[str] = field(default_factory=list)
    counting: bool = False

    def __call__(self, *args: Any) -> None:
        if self.counting:
            self.statements.append(str(args[2]))

    def measure(self, action: Callable[[], object]) -> int:
        self.statements.clear()
        self.counting = True
        try:
            action()
        finally:
            self.counting = False
        return len(self.statements)


@dataclass
class WebApp:
    app: FastAPI
    client: TestClient
    queries: QueryCounter
    anonymous: TestClient
    others: list[TestClient] = field(default_factory=list)

    @property
    def session_factory(self) -> sessionmaker[Session]:
        factory: sessionmaker[Session] = self.app.state.session_factory
        return factory

    def seed(self, **options: Any) -> Seeded:
        return seed_program(self.session_factory, **options)

    def client_as(self, role: str | UserRole, **user: Any) -> TestClient:
        """A page client signed in as a new user of ``role``."""
        client = page_client(self.app, add_user(self.session_factory, role, **user))
        self.others.append(client)
        return client


@pytest.fixture
def web(database_url: str, engine: Engine) -> Iterator[WebApp]:
    """The real app (``create_app``) on the migrated, empty test database."""
    app = make_app(database_url)
    # The test process's one engine for this database (tests/conftest.py), as the API tests
    # use: its compiled-statement cache stays warm from test to test, where an engine of the
    # app's own compiled every statement of every page again in each test.
    app.state.engine.dispose()
    app.state.engine = engine
    app.state.session_factory = make_session_factory(engine)
    counter = QueryCounter()
    event.listen(app.state.engine, "before_cursor_execute", counter)
    coordinator = add_user(app.state.session_factory, UserRole.COORDINATOR, username="chief")
    with page_client(app, coordinator) as client, TestClient(app) as anonymous:
        web = WebApp(app, client, counter, anonymous)
        yield web
    for other in web.others:
        other.close()
    event.remove(app.state.engine, "before_cursor_execute", counter)


@pytest.fixture
def seeded(web: WebApp) -> tuple[WebApp, Seeded]:
    return web, web.seed()


@pytest.fixture(params=PROGRAMS)
def program(web: WebApp, request: pytest.FixtureRequest) -> Stored:
    """The demo, then a pediatrics program (tests/web/programs.py)."""
    return store_program(web.session_factory, request.param)
