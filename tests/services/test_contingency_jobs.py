"""The contingency job: its parameters are checked at submission (the field named, nothing
queued), it runs through the worker's code to the report, and the nightly beat entry submits
one for the published schedule, at most once a day."""

from __future__ import annotations

from typing import Any

import pytest
from celery.schedules import crontab
from sqlalchemy.orm import Session, sessionmaker

from resched.core.errors import Invalid, NotFound
from resched.services import academic_years
from resched.services.fairness import today_of_program
from resched.services.jobs import get_job, get_job_result, list_jobs, submit_job
from resched.services.jobs.kinds import MAX_CONTINGENCY_DAYS
from resched.services.pages.today import load_today
from resched.tasks import beat
from resched.tasks.handlers import analyse_contingency
from resched.tasks.runner import JobCancelled, JobContext
from tests.accounts import settings_for
from tests.contingency_data import POOL_STORES
from tests.job_helpers import RecordingQueue, inline_runtime, work_off

Factory = sessionmaker[Session]
pytestmark = pytest.mark.db


def _submit(factory: Factory, queue: RecordingQueue, parameters: dict[str, Any]) -> int:
    job = submit_job(
        factory=factory,
        queue=queue,
        kind="contingency",
        parameters=parameters,
        actor=None,
        requested_by=None,
    )
    return job.id


@pytest.mark.parametrize("program", sorted(POOL_STORES))
def test_the_job_runs_to_the_report(
    session_factory: Factory, database_url: str, program: str
) -> None:
    pools = POOL_STORES[program](session_factory)
    runtime = inline_runtime(database_url, session_factory)
    queue = RecordingQueue()
    job_id = _submit(
        session_factory,
        queue,
        {
            "version_id": pools.version_id,
            "start": pools.start.isoformat(),
            "end": pools.end.isoformat(),
        },
    )
    assert work_off(runtime, queue) == ["succeeded"]
    report = get_job_result(factory=session_factory, job_id=job_id)
    assert report["format"] == "resched.contingency/v1"
    assert pools.lone in {o["people"][0]["code"] for o in report["single_points_of_failure"]}
    job = get_job(factory=session_factory, job_id=job_id)
    single = len(report["single_points_of_failure"])
    assert f"{single} single point(s) of failure" in job.message
    assert f"{len(report['n_minus_2']['fatal'])} fatal pair(s)" in job.message


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"version_id": "1"}, "version_id"),
        ({"start": "2026-13-01"}, "start"),
        ({"end": None}, "end"),
        ({"start": None}, "start"),
        ({"end": "2030-01-01"}, "end"),
        ({"start": "2020-01-01", "end": "2020-01-02"}, "start"),
    ],
)
def test_bad_parameters_are_refused_at_submission(
    session_factory: Factory, change: dict[str, Any], field: str
) -> None:
    pools = POOL_STORES["pediatrics"](session_factory)
    parameters = {
        "version_id": pools.version_id,
        "start": pools.start.isoformat(),
        "end": pools.end.isoformat(),
        **change,
    }
    queue = RecordingQueue()
    with pytest.raises(Invalid) as caught:
        _submit(session_factory, queue, parameters)
    found = caught.value.details.get("field") or caught.value.details["errors"][0]["path"]
    assert found == field
    assert queue.sent == []


def test_an_unknown_version_and_a_long_horizon_are_refused(session_factory: Factory) -> None:
    pools = POOL_STORES["pediatrics"](session_factory)
    queue = RecordingQueue()
    with pytest.raises(NotFound):
        _submit(session_factory, queue, {"version_id": 999})
    far = pools.start.replace(year=pools.start.year + 1)
    with pytest.raises(Invalid, match=str(MAX_CONTINGENCY_DAYS)):
        _submit(
            session_factory,
            queue,
            {
                "version_id": pools.version_id,
                "start": pools.start.isoformat(),
                "end": far.isoformat(),
            },
        )
    assert queue.sent == []


def test_the_nightly_job_is_submitted_once_a_day_for_the_published_schedule(
    session_factory: Factory, database_url: str
) -> None:
    runtime = inline_runtime(database_url, session_factory)
    queue = RecordingQueue()
    runtime.queue = queue  # type: ignore[assignment]
    assert beat.nightly_contingency(runtime) == "no published schedule"
    pools = POOL_STORES["pediatrics"](session_factory)
    first = beat.nightly_contingency(runtime)
    assert beat.nightly_contingency(runtime) == first  # the same day's key: the same job
    assert [kind for _, kind in queue.sent] == ["contingency"]
    (job,) = list_jobs(factory=session_factory).items
    assert job.parameters == {"version_id": pools.version_id, "start": None, "end": None}
    # The horizon starts at the program's today: the job succeeds while today lies in the
    # stored year, and fails saying so otherwise.
    today = today_of_program(factory=session_factory)
    (year,) = academic_years.list_academic_years(factory=session_factory)
    expected = "succeeded" if year.start <= today <= year.end else "failed"
    assert work_off(runtime, queue) == [expected]


def test_the_beat_schedule_has_the_nightly_contingency_entry(database_url: str) -> None:
    schedule = beat.beat_schedule(settings_for(database_url))
    entry = schedule["nightly-contingency"]
    assert entry["task"] == beat.NIGHTLY_CONTINGENCY
    # Half an hour after the compliance check (03:00 by default).
    assert entry["schedule"] == crontab(minute=30, hour=3)


@pytest.mark.parametrize("program", sorted(POOL_STORES))
def test_today_names_the_single_points_of_failure_and_the_new_ones(
    session_factory: Factory, database_url: str, program: str
) -> None:
    pools = POOL_STORES[program](session_factory)
    now = pools.duties.at(10)
    summary = load_today(factory=session_factory, now=now, coordinator=True).coordinator
    assert summary is not None
    assert summary.contingency is None  # no analysis yet
    runtime = inline_runtime(database_url, session_factory)
    horizon = {
        "version_id": pools.version_id,
        "start": pools.start.isoformat(),
        "end": pools.end.isoformat(),
    }
    queue = RecordingQueue()
    _submit(session_factory, queue, horizon)
    assert work_off(runtime, queue) == ["succeeded"]
    first = load_today(factory=session_factory, now=now, coordinator=True).coordinator
    assert first is not None
    assert first.contingency is not None
    lone = f"Doctor {pools.lone}"
    assert lone in first.contingency.single_points
    assert first.contingency.new == first.contingency.single_points  # all new the first time
    _submit(session_factory, queue, horizon)
    assert work_off(runtime, queue) == ["succeeded"]
    second = load_today(factory=session_factory, now=now, coordinator=True).coordinator
    assert second is not None
    assert second.contingency is not None
    assert lone in second.contingency.single_points
    assert second.contingency.new == ()  # named the night before too


def test_the_handler_reports_progress_and_stops_when_cancelled(session_factory: Factory) -> None:
    pools = POOL_STORES["pediatrics"](session_factory)
    parameters = {
        "version_id": pools.version_id,
        "start": pools.start.isoformat(),
        "end": pools.end.isoformat(),
    }
    context = JobContext(factory=session_factory, parameters=parameters, actor=None)
    done = analyse_contingency(context)
    progress, message, _ = context.latest()
    assert progress > 0.9
    assert message == "Writing the report."
    assert done.result is not None
    assert done.result["format"] == "resched.contingency/v1"
    cancelled = JobContext(factory=session_factory, parameters=parameters, actor=None)
    cancelled.cancel.cancel()
    with pytest.raises(JobCancelled):
        analyse_contingency(cancelled)
