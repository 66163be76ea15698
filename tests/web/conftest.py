"""Fixtures for the page tests: an app on a fresh database, a client, and a SQL counter."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from resched.main import create_app
from resched.settings import Settings
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

    @property
    def session_factory(self) -> sessionmaker[Session]:
        factory: sessionmaker[Session] = self.app.state.session_factory
        return factory

    def seed(self, **options: Any) -> Seeded:
        return seed_program(self.session_factory, **options)


@pytest.fixture
def web(database_url: str) -> Iterator[WebApp]:
    """The real app (``create_app``) on the migrated, empty test database."""
    app = create_app(Settings(database_url=database_url))
    counter = QueryCounter()
    event.listen(app.state.engine, "before_cursor_execute", counter)
    with TestClient(app) as client:
        yield WebApp(app, client, counter)
    event.remove(app.state.engine, "before_cursor_execute", counter)
    app.state.engine.dispose()


@pytest.fixture
def seeded(web: WebApp) -> tuple[WebApp, Seeded]:
    return web, web.seed()
