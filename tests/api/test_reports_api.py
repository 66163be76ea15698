"""/api/v1/reports/fairness: 404 before any report; a coordinator asks for one (a job), and
once a worker has run it, GET returns it. Residents may do neither. The worker is played in
the test's thread (tests/job_helpers.py); real workers are tested in tests/tasks."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from resched.db.tables import UserRole
from resched.services.schedule_import import import_schedule
from tests.api.conftest import ClientAs
from tests.job_helpers import RecordingQueue, inline_runtime, work_off
from tests.schedule_data import publish, store_program, troubled_doc

pytestmark = pytest.mark.db


@pytest.fixture
def queue(app: FastAPI) -> RecordingQueue:
    recorder = RecordingQueue()
    app.state.job_queue = recorder
    return recorder


def test_a_coordinator_asks_for_a_report_and_reads_the_latest(
    app: FastAPI, client: TestClient, queue: RecordingQueue, database_url: str
) -> None:
    factory = app.state.session_factory
    store_program(factory)
    version = import_schedule(factory=factory, document=troubled_doc()).version
    publish(factory, version.id)
    assert client.get("reports/fairness").status_code == 404
    created = client.post("reports/fairness", json={"as_of": "2026-07-14"})
    assert created.status_code == 202, created.text
    job = created.json()
    assert (job["kind"], job["parameters"]) == ("fairness_report", {"as_of": "2026-07-14"})
    assert work_off(inline_runtime(database_url, factory), queue) == ["succeeded"]
    latest = client.get("reports/fairness")
    assert latest.status_code == 200
    body = latest.json()
    assert body["job_id"] == job["id"]
    report = body["report"]
    assert (report["format"], report["version_id"], report["as_of"]) == (
        "resched.fairness/v1",
        version.id,
        "2026-07-14",
    )
    assert report["range"] == {"start": "2026-07-01", "end": "2026-07-14"}
    counts = {
        r["person"]: (r["calls"], r["nights"], r["weekend_days"], r["holiday_days"], r["hours"])
        for r in report["residents"]
    }
    # Ada: 12-h days every day; Ben: ten weekdays and the Saturday clinic (the holiday, the
    # 4th); Cy: night float from the 11th - the night of the 14th counts its 5 h before the
    # midnight that ends the range.
    assert counts == {
        "r1": (0, 0, 4, 1, 168.0),
        "r2": (0, 0, 1, 1, 10 * 12 + 4.0),
        "r3": (0, 4, 2, 0, 3 * 12 + 5.0),
    }
    assert [g["pgy"] for g in report["groups"]] == [1, 2, 3]


def test_without_a_published_schedule_the_job_fails_and_nothing_is_stored(
    app: FastAPI, client: TestClient, queue: RecordingQueue, database_url: str
) -> None:
    factory = app.state.session_factory
    store_program(factory)
    import_schedule(factory=factory, document=troubled_doc())  # a draft only
    job = client.post("reports/fairness", json={"as_of": "2026-07-14"}).json()
    assert work_off(inline_runtime(database_url, factory), queue) == ["failed"]
    assert "no published schedule" in client.get(f"jobs/{job['id']}").json()["message"]
    assert client.get("reports/fairness").status_code == 404
    assert client.post("reports/fairness", json={"as_of": "July"}).status_code == 422


def test_residents_may_neither_read_nor_ask(client_as: ClientAs, queue: RecordingQueue) -> None:
    resident = client_as(UserRole.RESIDENT)
    assert resident.get("reports/fairness").status_code == 403
    assert resident.post("reports/fairness", json={}).status_code == 403
    assert queue.sent == []
