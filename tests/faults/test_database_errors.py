"""Which database errors are an outage (503, try again) and which are bugs (500, logged).

A database that refuses connections is an outage: every page and API call that needs it
answers 503 with Retry-After. A missing table is an OperationalError too, yet a bug (a
database never migrated) that retrying will not mend: it stays the logged 500. Both are real:
a PostgreSQL URL on a port nothing listens on, and a SQLite file without the schema.
"""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import create_engine

from resched.db.session import make_session_factory, normalize_url
from resched.http.cookies import SESSION_COOKIE
from tests.accounts import make_app
from tests.faults.redis_server import free_port

LOGIN = {"username": "chief", "password": "not-checked-here-1"}


def test_a_database_that_refuses_connections_answers_503_to_pages_and_api() -> None:
    app = make_app(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/resched")
    with TestClient(app) as client:
        api = client.post("/api/v1/auth/login", json=LOGIN)
        # A signed-in browser: its session is looked up in the database before any page.
        client.cookies.set(SESSION_COOKIE, "a-session-the-database-would-know")
        page = client.get("/today")
        ready = client.get("/readyz")
    assert api.status_code == 503, api.text
    assert api.json()["error"]["code"] == "database_unavailable"
    assert api.headers["retry-after"]
    assert page.status_code == 503, page.text
    assert "The database is unavailable" in page.text
    assert page.headers["content-type"].startswith("text/html")
    assert ready.status_code == 503


def test_a_missing_table_is_a_bug_and_stays_a_500(tmp_path: Path) -> None:
    app = make_app(f"sqlite:///{tmp_path / 'never-migrated.db'}")
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.post("/api/v1/auth/login", json=LOGIN)
    assert response.status_code == 500, response.text
    assert response.json()["error"]["code"] == "internal_error"


def test_a_pool_with_every_connection_lent_out_answers_503(database_url: str) -> None:
    """One connection in the pool, held elsewhere: the request waits the pool's timeout, then
    is told to try again (503), not a 500; once the connection is back it is served."""
    app = make_app(database_url)
    tiny = create_engine(normalize_url(database_url), pool_size=1, max_overflow=0, pool_timeout=0.2)
    app.state.engine, app.state.session_factory = tiny, make_session_factory(tiny)
    try:
        with TestClient(app) as client:
            with tiny.connect():
                busy = client.post("/api/v1/auth/login", json=LOGIN)
                client.cookies.set(SESSION_COOKIE, "a-session-the-database-would-know")
                page = client.get("/today")  # the session is looked up first
                client.cookies.clear()
            after = client.post("/api/v1/auth/login", json=LOGIN)
    finally:
        tiny.dispose()
        app.state.engine.dispose()
    assert busy.status_code == 503, busy.text
    assert busy.json()["error"]["code"] == "database_unavailable"
    assert busy.headers["retry-after"]
    assert page.status_code == 503, page.text
    assert "The database is unavailable" in page.text
    assert after.status_code == 401, after.text  # served: the password is simply wrong
