"""POST /schedules/{id}/contingency (a job) and GET /schedules/{id}/contingency/latest (its
report): the round trip on the demo and the pediatrics-like program, who may ask, and bad input
answered with the field and nothing queued."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.api.conftest import ClientAs, error_fields
from tests.contingency_data import POOL_STORES, Pools
from tests.job_helpers import RecordingQueue, inline_runtime, work_off

pytestmark = pytest.mark.db
Factory = sessionmaker[Session]


@pytest.fixture
def queue(app: FastAPI) -> RecordingQueue:
    recorder = RecordingQueue()
    app.state.job_queue = recorder
    return recorder


def _horizon(pools: Pools) -> dict[str, Any]:
    return {"start": pools.start.isoformat(), "end": pools.end.isoformat()}


@pytest.mark.parametrize("program", sorted(POOL_STORES))
def test_submit_then_read_the_latest_report(
    client: TestClient,
    queue: RecordingQueue,
    session_factory: Factory,
    database_url: str,
    program: str,
) -> None:
    pools = POOL_STORES[program](session_factory)
    url = f"schedules/{pools.version_id}/contingency"
    assert client.get(f"{url}/latest").status_code == 404  # nothing finished yet
    submitted = client.post(url, json=_horizon(pools))
    assert submitted.status_code == 202, submitted.text
    job = submitted.json()
    assert (job["kind"], job["parameters"]["version_id"]) == ("contingency", pools.version_id)
    assert work_off(inline_runtime(database_url, session_factory), queue) == ["succeeded"]
    latest = client.get(f"{url}/latest")
    assert latest.status_code == 200, latest.text
    body = latest.json()
    assert body["job_id"] == job["id"]
    report = body["report"]
    assert report["format"] == "resched.contingency/v1"
    assert report["range"] == _horizon(pools)
    assert pools.lone in {o["people"][0]["code"] for o in report["single_points_of_failure"]}
    fatal = {frozenset(p["code"] for p in o["people"]) for o in report["n_minus_2"]["fatal"]}
    assert frozenset(pools.pair[:2]) in fatal


def test_a_body_is_optional(
    client: TestClient, queue: RecordingQueue, session_factory: Factory
) -> None:
    pools = POOL_STORES["pediatrics"](session_factory)
    response = client.post(f"schedules/{pools.version_id}/contingency")
    assert response.status_code == 202, response.text
    assert response.json()["parameters"] == {
        "version_id": pools.version_id,
        "start": None,
        "end": None,
    }


@pytest.mark.parametrize("role", ["resident", "faculty"])
def test_residents_and_faculty_may_neither_ask_nor_read(
    client_as: ClientAs, queue: RecordingQueue, session_factory: Factory, role: str
) -> None:
    pools = POOL_STORES["pediatrics"](session_factory)
    other = client_as(role)
    url = f"schedules/{pools.version_id}/contingency"
    assert other.post(url, json=_horizon(pools)).status_code == 403
    assert other.get(f"{url}/latest").status_code == 403
    assert queue.sent == []


def test_anonymous_is_refused(anonymous: TestClient) -> None:
    assert anonymous.post("schedules/1/contingency").status_code == 401


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"start": "tomorrow"}, 422, "start"),
        ({"start": "2026-11-01"}, 422, "end"),  # a start without an end
        ({"start": "2026-11-08", "end": "2026-11-01"}, 422, "end"),
        ({"start": "2030-01-01", "end": "2030-01-02"}, 422, "start"),
        ({"start": "2026-10-01", "end": "2027-03-01"}, 422, "end"),  # over 92 days
        ({"horizon": 28}, 422, "horizon"),
    ],
)
def test_bad_input_names_the_field_and_queues_nothing(
    client: TestClient,
    queue: RecordingQueue,
    session_factory: Factory,
    body: dict[str, Any],
    status: int,
    field: str,
) -> None:
    pools = POOL_STORES["pediatrics"](session_factory)
    response = client.post(f"schedules/{pools.version_id}/contingency", json=body)
    assert response.status_code == status, response.text
    assert field in error_fields(response), error_fields(response)
    assert queue.sent == []


def test_an_unknown_version_is_not_found(client: TestClient, queue: RecordingQueue) -> None:
    assert client.post("schedules/999/contingency").status_code == 404
    assert client.get("schedules/999/contingency/latest").status_code == 404
    assert client.post("schedules/0/contingency").status_code == 422
    assert queue.sent == []
