"""Generations through the API and the Generate page, run by a real worker on a real Redis: the
web app only submits the job and reads its row; the worker solves, and the draft it stores is
reviewable and publishable from the pages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from resched.core.model import ScheduleStatus
from resched.db.tables import UserRole
from resched.services.jobs import JobQueue, get_job
from tests.accounts import add_user, api_client, make_app, page_client
from tests.generation_data import store_tiny, store_version
from tests.solve_limits import SAFETY_S
from tests.tasks.data import Factory
from tests.waits import wait_until

pytestmark = pytest.mark.db
# The tiny program's week solves to optimality by itself: the time limit is only a safety net.
WEEK = {"kind": "shifts", "start": "2026-07-06", "end": "2026-07-12", "time_limit_s": SAFETY_S}


@pytest.fixture
def app(database_url: str, redis_queue: JobQueue) -> Iterator[FastAPI]:
    app = make_app(database_url)
    app.state.job_queue = redis_queue
    yield app
    app.state.engine.dispose()


def _finished(client: TestClient, run_id: int) -> dict[str, Any]:
    def ended() -> dict[str, Any] | None:
        body: dict[str, Any] = client.get(f"generations/{run_id}").json()
        return body if body["state"] in ("finished", "failed") else None

    return wait_until(ended, what=f"generation {run_id} ended")


def test_a_generation_started_by_the_api_is_solved_by_a_worker_and_reviewable(
    app: FastAPI, factory: Factory
) -> None:
    tiny = store_tiny(factory)
    published = store_version(factory, tiny, status=ScheduleStatus.PUBLISHED)
    coordinator = add_user(factory, UserRole.COORDINATOR, username="chief")
    with api_client(app, coordinator) as client, page_client(app, coordinator) as browser:
        key = {"Idempotency-Key": "week-27"}
        started = client.post("generations", json=WEEK, headers=key)
        assert started.status_code == 202, started.text
        run_id = started.json()["id"]
        assert client.post("generations", json=WEEK, headers=key).json()["id"] == run_id

        done = _finished(client, run_id)
        assert done["state"] == "finished", done
        outcome = done["outcome"]
        assert outcome["status"] == "optimal"  # it ended by itself, not by a limit
        version_id = outcome["version_id"]
        job = get_job(factory=factory, job_id=run_id)
        assert (job.attempts, job.worker is not None) == (1, True)  # one execution, on a worker
        assert done["progress"]["elapsed_s"] > 0

        part = browser.get(f"/generate/runs/{run_id}/progress", headers={"HX-Request": "true"})
        assert part.headers["HX-Redirect"] == f"/generate/drafts/{version_id}"
        review = browser.get(f"/generate/drafts/{version_id}")
        assert review.status_code == 200
        assert "validator found nothing" in review.text
        diff = client.get(f"schedules/{version_id}/diff").json()
        assert diff["against_id"] == published
        assert client.post(f"schedules/{version_id}/publish", json={}).status_code == 200
