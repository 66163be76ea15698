"""``resched jobs follow``: a progress bar until the job ends; exit 0 if it succeeded, 1 if it
failed or was cancelled, 2 for a job that does not exist. ``resched jobs list`` and
``resched jobs cancel``."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import pytest
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from resched.cli import app
from resched.db.tables import JobStatus
from resched.services.jobs import Claim, JobPolicy, submit_job
from resched.services.jobs.runs import beat_job, claim_job, finish_job
from resched.services.schedule_import import import_schedule
from tests.schedule_data import store_program, troubled_doc
from tests.waits import PATIENCE_S

pytestmark = pytest.mark.db
Factory = sessionmaker[Session]


@dataclass
class Recorder:
    sent: list[int] = field(default_factory=list)

    def enqueue(self, job_id: int, kind: str) -> None:
        self.sent.append(job_id)


def _job(factory: Factory) -> int:
    store_program(factory)
    version = import_schedule(factory=factory, document=troubled_doc()).version
    job = submit_job(
        factory=factory,
        queue=Recorder(),
        kind="compliance_check",
        parameters={"version_id": version.id},
        actor=None,
        requested_by=None,
    )
    return job.id


def _work(factory: Factory, job_id: int, status: JobStatus) -> threading.Thread:
    """A stand-in worker thread: runs for a second, reporting progress, then ends as told."""

    def run() -> None:
        claim = claim_job(factory=factory, job_id=job_id, worker="w", policy=JobPolicy())
        assert isinstance(claim, Claim)
        for step in range(1, 5):
            time.sleep(0.25)
            beat_job(factory=factory, claim=claim, progress=step / 5, message=f"step {step}")
        finish_job(factory=factory, claim=claim, status=status, message=f"ended {status}")

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.parametrize(("status", "code"), [(JobStatus.SUCCEEDED, 0), (JobStatus.FAILED, 1)])
def test_follow_shows_progress_until_the_end(
    database_url: str, session_factory: Factory, status: JobStatus, code: int
) -> None:
    job_id = _job(session_factory)
    worker = _work(session_factory, job_id, status)
    result = CliRunner().invoke(
        app, ["jobs", "follow", str(job_id), "--database-url", database_url]
    )
    worker.join(PATIENCE_S)
    assert result.exit_code == code, result.output
    assert f"job {job_id} {status.value}: ended {status}" in result.output


def test_follow_list_and_cancel(database_url: str, session_factory: Factory) -> None:
    job_id = _job(session_factory)
    runner = CliRunner()
    listed = runner.invoke(app, ["jobs", "list", "--database-url", database_url])
    assert "compliance_check" in listed.output
    assert "queued" in listed.output
    cancel = runner.invoke(app, ["jobs", "cancel", str(job_id), "--database-url", database_url])
    assert cancel.exit_code == 0, cancel.output
    assert "cancelled" in cancel.output
    follow = runner.invoke(app, ["jobs", "follow", str(job_id), "--database-url", database_url])
    assert follow.exit_code == 1
    missing = runner.invoke(app, ["jobs", "follow", "999999", "--database-url", database_url])
    assert missing.exit_code == 2
