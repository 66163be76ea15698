"""/api/v1/jobs: coordinators and admins see and cancel every job, everyone else only their
own (someone else's job is 404); submitting is schedule:write; the result is there once the
job succeeded. The queue is recorded here: the workers are tested in tests/tasks."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from resched.db.tables import JobStatus, UserRole
from resched.services.jobs import Claim, JobPolicy, submit_job
from resched.services.jobs.runs import claim_job, finish_job
from resched.services.schedule_import import import_schedule
from tests.accounts import add_user, api_client
from tests.api.conftest import ClientAs
from tests.schedule_data import store_program, troubled_doc

pytestmark = pytest.mark.db


@dataclass
class Recorder:
    sent: list[tuple[int, str]] = field(default_factory=list)

    def enqueue(self, job_id: int, kind: str) -> None:
        self.sent.append((job_id, kind))


@pytest.fixture
def queue(app: FastAPI) -> Recorder:
    recorder = Recorder()
    app.state.job_queue = recorder
    return recorder


@pytest.fixture
def version_id(app: FastAPI) -> int:
    factory = app.state.session_factory
    store_program(factory)
    return import_schedule(factory=factory, document=troubled_doc()).version.id


def _job_of(app: FastAPI, queue: Recorder, user_id: int | None, version_id: int) -> int:
    job = submit_job(
        factory=app.state.session_factory,
        queue=queue,
        kind="compliance_check",
        parameters={"version_id": version_id},
        actor=None,
        requested_by=user_id,
    )
    return job.id


def test_a_coordinator_submits_follows_and_reads_the_result(
    app: FastAPI, client: TestClient, queue: Recorder, version_id: int
) -> None:
    body = {"kind": "export", "parameters": {"version_id": version_id}, "idempotency_key": "k1"}
    created = client.post("jobs", json=body)
    assert created.status_code == 202
    job = created.json()
    assert (job["status"], job["progress"], job["kind"]) == ("queued", 0.0, "export")
    assert client.post("jobs", json=body).json()["id"] == job["id"]  # same key, same job
    assert queue.sent == [(job["id"], "export")]
    assert client.get(f"jobs/{job['id']}/result").status_code == 409  # not succeeded yet
    factory = app.state.session_factory
    claim = claim_job(factory=factory, job_id=job["id"], worker="w", policy=JobPolicy())
    assert isinstance(claim, Claim)
    finish_job(
        factory=factory, claim=claim, status=JobStatus.SUCCEEDED, message="ok", result={"a": 1}
    )
    assert client.get(f"jobs/{job['id']}").json()["status"] == "succeeded"
    assert client.get(f"jobs/{job['id']}/result").json() == {"a": 1}


def test_bad_submissions_are_refused(client: TestClient, queue: Recorder, version_id: int) -> None:
    assert client.post("jobs", json={"kind": "nope"}).status_code == 422
    missing = client.post("jobs", json={"kind": "export", "parameters": {"version_id": 999}})
    assert missing.status_code == 404
    assert client.post("jobs", json={"kind": "export", "extra": 1}).status_code == 422
    assert queue.sent == []


def test_members_see_and_cancel_only_their_own_jobs(
    app: FastAPI, client: TestClient, client_as: ClientAs, queue: Recorder, version_id: int
) -> None:
    resident_id = add_user(app.state.session_factory, UserRole.RESIDENT)
    resident = api_client(app, resident_id)
    own = _job_of(app, queue, resident_id, version_id)
    other = _job_of(app, queue, None, version_id)
    listed = resident.get("jobs").json()
    assert [j["id"] for j in listed["items"]] == [own]
    assert resident.get(f"jobs/{other}").status_code == 404
    assert resident.post(f"jobs/{other}/cancel").status_code == 404
    cancelled = resident.post(f"jobs/{own}/cancel")
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert resident.post(f"jobs/{own}/cancel").status_code == 409  # already over
    assert resident.post("jobs", json={"kind": "export"}).status_code == 403
    # The coordinator sees both, and cancels anyone's.
    assert {j["id"] for j in client.get("jobs").json()["items"]} == {own, other}
    assert client.post(f"jobs/{other}/cancel").json()["status"] == "cancelled"
    resident.close()
