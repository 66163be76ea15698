"""PostgreSQL going away under requests (issue 17): its connections are terminated from
outside, as a restart or a failover does, at a chosen statement of a request.

The request answers a clean 503 with Retry-After - a plain page for the pages, the JSON error
shape for the API - never a 500; the next request succeeds on a fresh connection without any
help; and a write cut off mid-transaction leaves nothing behind. PostgreSQL only: the SQLite
run skips it (a file has no connection to kill); ``make test`` runs it in the PostgreSQL tier.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from resched.db.tables import AuditEventRow, PersonRow
from tests.accounts import add_user, api_client
from tests.conftest import TEST_DATABASE_ENV
from tests.faults.killer import Killer
from tests.web.conftest import WebApp

pytestmark = [
    pytest.mark.db,
    pytest.mark.skipif(
        "postgresql" not in os.environ.get(TEST_DATABASE_ENV, ""), reason="needs PostgreSQL"
    ),
]
NEW_PERSON = {"code": "FLT1", "name": "Fault Tester", "role": "faculty"}


@pytest.fixture
def killer(database_url: str) -> Iterator[Killer]:
    killer = Killer(database_url)
    yield killer
    killer.close()


def _unavailable_json(response: object) -> None:
    assert response.status_code == 503, response.text  # type: ignore[attr-defined]
    error = response.json()["error"]  # type: ignore[attr-defined]
    assert error["code"] == "database_unavailable"
    assert "try again" in error["message"].lower()
    assert int(response.headers["retry-after"]) > 0  # type: ignore[attr-defined]


def test_a_page_answers_a_plain_503_when_the_database_goes_away_then_recovers(
    web: WebApp, killer: Killer
) -> None:
    assert web.client.get("/people").status_code == 200
    with killer.at_statement(web.app.state.engine, "SELECT") as hit:
        response = web.client.get("/people")
    assert hit, "the request never reached the database"
    assert response.status_code == 503, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert "The database is unavailable" in response.text
    assert "Try again" in response.text
    assert "Traceback" not in response.text
    assert int(response.headers["retry-after"]) > 0
    # No restart, no operator: the pool lends a live connection to the next request.
    assert web.client.get("/people").status_code == 200


def test_the_api_answers_its_json_503_when_the_database_goes_away_then_recovers(
    web: WebApp, killer: Killer
) -> None:
    api = _api(web)
    assert api.get("people").status_code == 200
    with killer.at_statement(web.app.state.engine, "SELECT") as hit:
        response = api.get("people")
    assert hit
    _unavailable_json(response)
    assert api.get("people").status_code == 200


def test_a_write_cut_off_before_its_commit_leaves_nothing(web: WebApp, killer: Killer) -> None:
    api = _api(web)
    # The audit record is the last statement of the write's transaction: the person's row is
    # already sent when the connection dies under it.
    with killer.at_statement(web.app.state.engine, "INSERT INTO audit_event") as hit:
        response = api.post("people", json=NEW_PERSON)
    assert hit
    _unavailable_json(response)
    assert _people_named(web, NEW_PERSON["code"]) == 0
    audits = _audit_count(web)
    # The client does what the answer says: tries again, and the change is made once.
    created = api.post("people", json=NEW_PERSON)
    assert created.status_code == 201, created.text
    assert _people_named(web, NEW_PERSON["code"]) == 1
    assert _audit_count(web) == audits + 1


def test_connections_killed_between_requests_are_replaced_unnoticed(
    web: WebApp, killer: Killer
) -> None:
    """A restart while the app is idle: every pooled connection is dead, and the next
    request must not be the one to find out (the engine pings before lending)."""
    assert web.client.get("/people").status_code == 200
    killer.terminate_all()
    assert web.client.get("/people").status_code == 200
    assert _api(web).get("people").status_code == 200


def _api(web: WebApp) -> TestClient:
    client = api_client(web.app, add_user(web.session_factory, "coordinator"))
    web.others.append(client)
    return client


def _people_named(web: WebApp, code: str) -> int:
    with web.session_factory() as session:
        return len(session.scalars(select(PersonRow.id).where(PersonRow.code == code)).all())


def _audit_count(web: WebApp) -> int:
    with web.session_factory() as session:
        return len(session.scalars(select(AuditEventRow.id)).all())
