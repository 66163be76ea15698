"""The fairness report and the background import on a real worker and a real Redis, the CLI's
``import interchange --background``, and the weekly entry of the beat schedule."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from celery.schedules import crontab
from typer.testing import CliRunner

from resched.cli import app as cli
from resched.db.tables import JobStatus
from resched.services.fairness import latest_fairness_report
from resched.services.jobs import JobQueue, get_job_result, list_jobs, submit_job
from resched.services.schedule_import import import_schedule
from resched.services.schedules import get_schedule
from resched.settings import Settings
from resched.tasks.app import make_celery
from resched.tasks.beat import WEEKLY_FAIRNESS
from tests.schedule_data import base_doc, publish, store_program, troubled_doc
from tests.tasks.data import Factory, version_count
from tests.tasks.workers import environment, finished, wait_for_job

pytestmark = pytest.mark.db


def _submit(factory: Factory, queue: JobQueue, kind: str, parameters: dict) -> int:  # type: ignore[type-arg]
    job = submit_job(
        factory=factory,
        queue=queue,
        kind=kind,
        parameters=parameters,
        actor="coordinator",
        requested_by=None,
    )
    return job.id


def test_a_fairness_report_runs_on_a_worker_and_is_the_latest(
    factory: Factory, redis_queue: JobQueue
) -> None:
    store_program(factory)
    version = import_schedule(factory=factory, document=troubled_doc()).version
    publish(factory, version.id)
    job_id = _submit(factory, redis_queue, "fairness_report", {"as_of": "2026-07-07"})
    done = wait_for_job(factory, job_id, finished)
    assert done.status is JobStatus.SUCCEEDED, done
    stored = latest_fairness_report(factory=factory)
    assert stored.job.id == job_id
    assert stored.report == get_job_result(factory=factory, job_id=job_id)
    ada = stored.report["residents"][0]
    # July 1-7: seven 12-hour days, two of them on the weekend, one the holiday (the 4th).
    assert (ada["person"], ada["hours"], ada["weekend_days"], ada["holiday_days"]) == (
        "r1",
        84.0,
        2,
        1,
    )


def test_an_import_job_stores_a_draft_and_reports_its_notes(
    factory: Factory, redis_queue: JobQueue
) -> None:
    store_program(factory)
    doc = troubled_doc()
    doc["absences"] = [{"person": "r1", "start": "2026-07-20", "end": "2026-07-21"}]
    job_id = _submit(
        factory, redis_queue, "import_interchange", {"document": doc, "label": "From the job"}
    )
    done = wait_for_job(factory, job_id, finished)
    assert done.status is JobStatus.SUCCEEDED, done
    result = get_job_result(factory=factory, job_id=job_id)
    version = get_schedule(factory=factory, version_id=result["version_id"])
    assert (version.label, version.status.value) == ("From the job", "draft")
    assert result["assignments"] == version.assignments == len(doc["assignments"])
    assert {"path": "absences", "message": "1 not imported; the program's apply"} in (
        result["notes"]
    )


def test_a_document_the_reader_refuses_fails_the_job_with_its_errors(
    factory: Factory, redis_queue: JobQueue
) -> None:
    store_program(factory)
    before = version_count(factory)
    doc = base_doc().assign("nobody", 0, "DAY").doc
    job_id = _submit(factory, redis_queue, "import_interchange", {"document": doc})
    done = wait_for_job(factory, job_id, finished)
    assert done.status is JobStatus.FAILED, done
    errors = get_job_result(factory=factory, job_id=job_id)["errors"]
    assert errors
    assert errors[0]["path"].startswith("assignments[")
    assert version_count(factory) == before


def test_the_cli_imports_in_the_background(
    factory: Factory,
    redis_queue: JobQueue,
    redis_settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store_program(factory)
    path = tmp_path / "schedule.json"
    path.write_text(json.dumps(troubled_doc()))
    for name, value in environment(redis_settings).items():
        if name.startswith("RESCHED_"):
            monkeypatch.setenv(name, value)
    runner = CliRunner()
    submitted = runner.invoke(cli, ["import", "interchange", str(path), "--background"])
    assert submitted.exit_code == 0, submitted.output
    (job,) = list_jobs(factory=factory, limit=1).items
    assert f"submitted import job {job.id}" in submitted.output
    followed = runner.invoke(cli, ["jobs", "follow", str(job.id)])
    assert followed.exit_code == 0, followed.output
    assert f"job {job.id} succeeded: Imported draft version" in followed.output


def test_the_beat_sends_the_fairness_report_on_monday_mornings(
    redis_settings: Settings,
) -> None:
    entry = make_celery(redis_settings).conf.beat_schedule["weekly-fairness"]
    assert entry["task"] == WEEKLY_FAIRNESS
    assert entry["schedule"] == crontab(minute=0, hour=6, day_of_week="mon")
