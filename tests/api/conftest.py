"""The app under test: the real ``resched.main.create_app`` (authentication, permissions,
middleware) on the test database, and clients signed in as any role.

``client`` is a coordinator (the role that manages the program, so the CRUD tests can write);
``client_as("resident")`` gives another role; ``anonymous`` has no credentials.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx2
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from resched.db.tables import UserRole
from tests.accounts import API, add_user, api_client, make_app

type ClientAs = Callable[..., TestClient]


@pytest.fixture
def app(database_url: str, engine: Engine, session_factory: sessionmaker[Session]) -> FastAPI:
    app = make_app(database_url)
    # One engine for the app and the test's own reads and writes, so the statement counter
    # (tests/conftest.py) sees the app's statements too.
    app.state.engine.dispose()
    app.state.engine = engine
    app.state.session_factory = session_factory
    return app


@pytest.fixture
def client_as(app: FastAPI) -> Iterator[ClientAs]:
    """``client_as(role, username=None, person_id=None)``: a new user of that role, signed
    in with a bearer token. Raising server exceptions (the default) turns any 500 into a
    failing test."""
    clients: list[TestClient] = []

    def make(role: str | UserRole, **user: object) -> TestClient:
        user_id = add_user(app.state.session_factory, role, **user)  # type: ignore[arg-type]
        client = api_client(app, user_id)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(client_as: ClientAs) -> TestClient:
    return client_as(UserRole.COORDINATOR)


@pytest.fixture
def anonymous(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url=f"http://testserver{API}/") as client:
        yield client


def error_fields(response: httpx2.Response) -> set[str]:
    """The field names an error response points at (service errors and request validation)."""
    details = response.json()["error"]["details"]
    fields = {err["path"] for err in details.get("errors", [])}
    if "field" in details:
        fields.add(details["field"])
    return fields
