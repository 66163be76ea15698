"""/generations and /schedules/{id}/generation|diff|publish: start, poll and cancel (runs are
background jobs: the test plays the worker, tests/tasks has real ones), the stored report, the
diff, publishing (with a reason for violations), bad input, and 403 for residents."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from resched.core.model import Assignment, ScheduleStatus
from resched.core.solver import SolveStatus
from resched.db.tables import JobStatus
from resched.services.generation import GenerationKind, GenerationOutcome
from resched.services.generation.outcome import report_json
from resched.services.jobs import Claim, JobPolicy, get_job
from resched.services.jobs.runs import beat_job, claim_job, finish_job
from tests.api.conftest import ClientAs
from tests.generation_data import Tiny, store_tiny, store_version
from tests.job_helpers import RecordingQueue, inline_runtime, work_off
from tests.solve_limits import SAFETY_S

pytestmark = pytest.mark.db
Factory = sessionmaker[Session]
WEEK = {"kind": "shifts", "start": "2026-07-06", "end": "2026-07-12"}
# The tiny program's week solves to optimality by itself: the time limit is a safety net.
FAST = {"time_limit_s": SAFETY_S, "num_workers": 2, "seed": 1}


@pytest.fixture
def tiny(session_factory: Factory) -> Tiny:
    tiny = store_tiny(session_factory)
    store_version(session_factory, tiny, status=ScheduleStatus.PUBLISHED)
    return tiny


@pytest.fixture
def queue(app: FastAPI) -> RecordingQueue:
    recorder = RecordingQueue()
    app.state.job_queue = recorder
    return recorder


def _claim(factory: Factory, run_id: int) -> Claim:
    claim = claim_job(factory=factory, job_id=run_id, worker="w", policy=JobPolicy())
    assert isinstance(claim, Claim)
    return claim


def test_start_poll_then_review_diff_and_publish(
    client: TestClient, database_url: str, session_factory: Factory, queue: RecordingQueue,
    tiny: Tiny,
) -> None:  # fmt: skip
    started = client.post("generations", json=WEEK | FAST)
    assert started.status_code == 202, started.text
    run = started.json()
    assert (run["state"], run["outcome"], run["error"]) == ("queued", None, None)
    assert run["parameters"]["start"] == "2026-07-06"
    assert run["progress"]["time_limit_s"] == SAFETY_S
    assert queue.sent == [(run["id"], "generation")]  # a job, for a worker: nothing ran here
    job = get_job(factory=session_factory, job_id=run["id"])
    assert (job.kind, job.parameters) == ("generation", run["parameters"])
    assert client.get(f"jobs/{run['id']}").json()["kind"] == "generation"

    assert work_off(inline_runtime(database_url, session_factory), queue) == ["succeeded"]
    done: dict[str, Any] = client.get(f"generations/{run['id']}").json()
    assert done["state"] == "finished"
    outcome = done["outcome"]
    assert outcome["status"] == "optimal"  # it ended by itself, not by a limit
    assert outcome["violations"] == 0
    version_id = outcome["version_id"]
    assert done["progress"]["objective"] == outcome["objective"]
    assert done["message"].startswith(f"Draft {version_id}:")

    report = client.get(f"schedules/{version_id}/generation")
    assert report.status_code == 200
    assert report.json()["penalties"] == outcome["penalties"]

    diff = client.get(f"schedules/{version_id}/diff").json()
    assert diff["against_id"] is not None
    assert diff["blocks"] == []
    calls = [c for c in diff["shifts"] if "CALL" in c["after"]]
    assert len(calls) == 7
    assert {c["change"] for c in calls} == {"added"}
    assert all(c["person"].startswith("Dr R") for c in diff["shifts"])

    published = client.post(f"schedules/{version_id}/publish", json={})
    assert published.status_code == 200, published.text
    body = published.json()
    assert body["version"]["status"] == "published"
    assert body["archived_id"] == diff["against_id"]
    again = client.post(f"schedules/{version_id}/publish", json={})
    assert again.status_code == 409


def test_progress_comes_from_the_job_and_cancel_reaches_its_worker(
    client: TestClient, session_factory: Factory, queue: RecordingQueue, tiny: Tiny
) -> None:
    run_id = client.post("generations", json=WEEK | FAST).json()["id"]
    claim = _claim(session_factory, run_id)
    figures = {"objective": 40.0, "bound": 30.0, "gap": 0.25, "solutions": 2, "search_s": 0.8}
    beat_job(
        factory=session_factory, claim=claim, progress=0.3, message="Best penalty 40.",
        details=figures,
    )  # fmt: skip
    running = client.get(f"generations/{run_id}").json()
    assert running["state"] == "running"
    assert running["message"] == "Best penalty 40."
    progress = running["progress"]
    assert (progress["objective"], progress["bound"], progress["solutions"]) == (40.0, 30.0, 2)
    assert progress["gap"] == pytest.approx(0.25)

    cancelled = client.post(f"generations/{run_id}/cancel")
    assert cancelled.status_code == 202
    assert (cancelled.json()["state"], cancelled.json()["cancel_requested"]) == ("running", True)
    assert get_job(factory=session_factory, job_id=run_id).cancel_requested
    assert client.get(f"jobs/{run_id}").json()["cancel_requested"] is True


def test_cancel_a_queued_generation(
    client: TestClient, database_url: str, session_factory: Factory, queue: RecordingQueue,
    tiny: Tiny,
) -> None:  # fmt: skip
    first = client.post("generations", json=WEEK | FAST).json()
    second = client.post("generations", json=WEEK | FAST).json()
    cancelled = client.post(f"generations/{second['id']}/cancel")
    assert cancelled.status_code == 202
    assert cancelled.json()["cancel_requested"] is True
    assert cancelled.json()["state"] == "finished"
    assert work_off(inline_runtime(database_url, session_factory), queue) == [
        "succeeded",
        "skipped",
    ]
    assert client.get(f"generations/{first['id']}").json()["outcome"]["version_id"] is not None
    stopped = client.get(f"generations/{second['id']}").json()["outcome"]
    assert (stopped["status"], stopped["version_id"]) == ("cancelled", None)
    assert client.post(f"generations/{second['id']}/cancel").status_code == 202  # harmless


def test_a_run_without_a_schedule_shows_why(
    client: TestClient, session_factory: Factory, queue: RecordingQueue, tiny: Tiny
) -> None:
    run_id = client.post("generations", json=WEEK | FAST).json()["id"]
    report = GenerationOutcome(
        kind=GenerationKind.SHIFTS,
        status=SolveStatus.INFEASIBLE,
        message="No schedule exists under these requirements; nothing was stored.",
        conflicts=("Night call on Jul 8 needs 1 resident: 0 of 4 are available.",),
    )
    finish_job(
        factory=session_factory,
        claim=_claim(session_factory, run_id),
        status=JobStatus.FAILED,
        message=report.message,
        result={"version_id": None, **report_json(report)},
    )
    body = client.get(f"generations/{run_id}").json()
    assert (body["state"], body["error"]) == ("finished", None)
    assert body["outcome"]["status"] == "infeasible"
    assert body["outcome"]["conflicts"] == list(report.conflicts)
    assert client.get(f"jobs/{run_id}/result").json()["status"] == "infeasible"


def test_a_failed_job_is_a_failed_run(
    client: TestClient, session_factory: Factory, queue: RecordingQueue, tiny: Tiny
) -> None:
    run_id = client.post("generations", json=WEEK | FAST).json()["id"]
    message = "Failed: its worker stopped reporting (killed, or its machine was lost)."
    claim = _claim(session_factory, run_id)
    finish_job(factory=session_factory, claim=claim, status=JobStatus.FAILED, message=message)
    body = client.get(f"generations/{run_id}").json()
    assert (body["state"], body["error"], body["outcome"]) == ("failed", message, None)


def test_one_idempotency_key_starts_one_generation(
    client: TestClient, client_as: ClientAs, queue: RecordingQueue, tiny: Tiny
) -> None:
    key = {"Idempotency-Key": "3f1c-generate-week"}
    first = client.post("generations", json=WEEK | FAST, headers=key)
    again = client.post("generations", json=WEEK | FAST, headers=key)
    assert (first.status_code, again.status_code) == (202, 202)
    assert again.json()["id"] == first.json()["id"]
    # Keys are the user's own: another coordinator's identical key is another run.
    other = client_as("coordinator").post("generations", json=WEEK | FAST, headers=key)
    assert other.json()["id"] != first.json()["id"]
    assert len(queue.sent) == 2
    too_long = client.post("generations", json=WEEK | FAST, headers={"Idempotency-Key": "k" * 101})
    assert too_long.status_code == 422


def test_publish_with_violations_needs_a_reason(
    client: TestClient, session_factory: Factory, tiny: Tiny
) -> None:
    calls = [Assignment(tiny.residents[0], dt.date(2026, 7, 6 + i), "CALL") for i in range(7)]
    draft = store_version(session_factory, tiny, shifts=calls)
    refused = client.post(f"schedules/{draft}/publish", json={})
    assert refused.status_code == 422
    assert refused.json()["error"]["details"]["field"] == "reason"
    ok = client.post(f"schedules/{draft}/publish", json={"reason": "Cover agreed"})
    assert ok.status_code == 200
    assert ok.json()["violations"] > 0


def test_bad_input_is_answered_at_once(
    client: TestClient, queue: RecordingQueue, tiny: Tiny
) -> None:
    backwards = client.post("generations", json=WEEK | {"end": "2026-07-01"})
    assert backwards.status_code == 422
    assert backwards.json()["error"]["details"]["field"] == "end"
    assert client.post("generations", json={"kind": "plan", "year": "1999"}).status_code == 404
    assert client.post("generations", json={"kind": "shifts", "block": 99}).status_code == 404
    assert client.post("generations", json=WEEK | {"time_limit_s": 0}).status_code == 422
    assert client.post("generations", json=WEEK | {"colour": "red"}).status_code == 422
    assert client.get("generations/abc123").status_code == 422
    assert client.get("generations/999").status_code == 404
    assert client.get("schedules/1/diff?against=latest").status_code == 422
    assert client.get("schedules/1/diff?against=²").status_code == 422  # isdigit() takes it
    assert client.post("generations", json={"kind": "plan", "year": "²"}).status_code == 404
    assert client.get("schedules/999/diff").status_code == 404
    assert queue.sent == []


def test_imported_versions_have_no_generation_report(
    client: TestClient, session_factory: Factory, tiny: Tiny
) -> None:
    draft = store_version(session_factory, tiny)
    response = client.get(f"schedules/{draft}/generation")
    assert response.status_code == 404
    assert "was not generated" in response.json()["error"]["message"]


@pytest.mark.parametrize("role", ["resident", "faculty"])
def test_only_coordinators_generate_and_publish(
    client: TestClient, client_as: ClientAs, queue: RecordingQueue, tiny: Tiny, role: str
) -> None:
    run_id = client.post("generations", json=WEEK | FAST).json()["id"]
    member = client_as(role)
    assert member.post("generations", json=WEEK | FAST).status_code == 403
    assert member.get(f"generations/{run_id}").status_code == 403
    assert member.post(f"generations/{run_id}/cancel").status_code == 403
    assert len(queue.sent) == 1
    assert member.get("schedules/1/diff").status_code == 403
    assert member.get("schedules/1/generation").status_code == 403
    assert member.post("schedules/1/publish", json={}).status_code == 403
