"""The app under test: ``api_router`` at /api/v1 with the one error table, on the test
database. The one place to change when these tests move to ``resched.main.create_app``."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from resched.api.errors import install_error_handlers
from resched.api.v1 import api_router

API = "/api/v1"


@pytest.fixture
def app(session_factory: sessionmaker[Session]) -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)
    app.include_router(api_router, prefix=API)
    app.state.session_factory = session_factory
    return app


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    # raise_server_exceptions (the default) turns any 500 into a failing test.
    with TestClient(app, base_url=f"http://testserver{API}/") as client:
        yield client


def error_fields(response: httpx.Response) -> set[str]:
    """The field names an error response points at (service errors and request validation)."""
    details = response.json()["error"]["details"]
    fields = {err["path"] for err in details.get("errors", [])}
    if "field" in details:
        fields.add(details["field"])
    return fields
