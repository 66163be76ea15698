"""Every instant the API returns is ISO 8601 with an offset (UTC), on SQLite (which stores no
zone) as on PostgreSQL: a client never has to guess the zone of a bare date-time. The pages
show the program's zone; the API keeps the instant exact."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from pydantic import TypeAdapter
from sqlalchemy import update

from resched.api.schemas.common import Instant
from resched.db.tables.auth import AuthSessionRow
from resched.services.jobs import JobPolicy
from resched.services.jobs.runs import claim_job
from resched.services.schedule_import import import_schedule
from tests.api.conftest import ClientAs
from tests.job_helpers import submit_check
from tests.schedule_data import store_program, troubled_doc

pytestmark = pytest.mark.db

SIGN_IN = dt.datetime(2026, 1, 15, 20, 30, tzinfo=dt.UTC)
INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
TIMESTAMP_KEY = re.compile(r"(_at|^at)$")


def _timestamps(value: Any, key: str = "") -> Iterator[tuple[str, str]]:
    """Every (key, value) of a JSON document whose key names an instant (``*_at``, ``at``)."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _timestamps(v, k)
    elif isinstance(value, list):
        for item in value:
            yield from _timestamps(item, key)
    elif TIMESTAMP_KEY.search(key) and value is not None:
        yield key, value


@pytest.fixture
def stored(app: FastAPI) -> int:
    """A program, an imported version (audited), a claimed job and a past sign-in."""
    factory = app.state.session_factory
    store_program(factory)
    version_id = import_schedule(factory=factory, document=troubled_doc()).version.id
    job = submit_check(factory, version_id)
    claim_job(factory=factory, job_id=job.id, worker="w", policy=JobPolicy())
    return job.id


def test_every_instant_the_api_returns_has_an_offset(
    app: FastAPI, client_as: ClientAs, stored: int
) -> None:
    admin = client_as("admin")
    coordinator = client_as("coordinator")
    with app.state.session_factory.begin() as session:
        session.execute(update(AuthSessionRow).values(created_at=SIGN_IN))
    documents = {
        "users": admin.get("users"),
        "audit": admin.get("audit-events"),
        "jobs": coordinator.get("jobs"),
        "job": coordinator.get(f"jobs/{stored}"),
        "schedules": coordinator.get("schedules"),
    }
    seen: dict[str, set[str]] = {}
    for name, response in documents.items():
        assert response.status_code == 200, (name, response.text)
        for key, value in _timestamps(response.json()):
            assert isinstance(value, str), (name, key, value)
            assert INSTANT.fullmatch(value), (name, key, value)
            moment = dt.datetime.fromisoformat(value)
            assert moment.utcoffset() == dt.timedelta(0), (name, key, value)
            seen.setdefault(name, set()).add(key)
    # The check above ran over real values, not empty lists.
    assert seen["users"] >= {"created_at", "last_sign_in_at"}
    assert "at" in seen["audit"]
    assert seen["job"] >= {"created_at", "started_at", "heartbeat_at"}
    assert "created_at" in seen["schedules"]
    sign_ins = {u["last_sign_in_at"] for u in documents["users"].json()["items"]}
    assert SIGN_IN in {dt.datetime.fromisoformat(v) for v in sign_ins if v}


def test_a_naive_instant_leaves_the_api_as_utc_with_its_offset() -> None:
    instants = TypeAdapter(list[Instant])
    naive = dt.datetime(2026, 7, 1, 12, 0)
    chicago = dt.datetime.fromisoformat("2026-07-01T07:00-05:00")
    assert instants.dump_json(instants.validate_python([naive, chicago])) == (
        b'["2026-07-01T12:00:00Z","2026-07-01T12:00:00Z"]'
    )
