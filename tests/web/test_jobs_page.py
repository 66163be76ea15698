"""The Jobs page: coordinators see every job, residents and faculty their own; each job with
status (in words, not colour alone), progress, who started it and a CSRF-protected Cancel; a
running job's row polls itself every second and a finished row stops polling."""

from __future__ import annotations

import pytest

from resched.db.tables import JobStatus
from resched.services.jobs import Claim, JobPolicy, get_job
from resched.services.jobs.runs import beat_job, claim_job, finish_job
from resched.services.schedule_import import import_schedule
from tests.accounts import add_user, page_client
from tests.job_helpers import submit_check
from tests.schedule_data import store_program, troubled_doc
from tests.web.conftest import WebApp
from tests.web.htmlcheck import parse
from tests.web.test_sign_in import csrf_of

pytestmark = pytest.mark.db


def _running_job(web: WebApp, requested_by: int | None = None) -> Claim:
    factory = web.session_factory
    store_program(factory)
    version = import_schedule(factory=factory, document=troubled_doc()).version
    return _claimed(web, version.id, requested_by)


def _claimed(web: WebApp, version_id: int, requested_by: int | None) -> Claim:
    factory = web.session_factory
    job = submit_check(factory, version_id, requested_by)
    claim = claim_job(factory=factory, job_id=job.id, worker="w", policy=JobPolicy())
    assert isinstance(claim, Claim)
    beat_job(factory=factory, claim=claim, progress=0.4, message="Checking.")
    return claim


@pytest.mark.parametrize("role", ["resident", "faculty"])
def test_residents_and_faculty_see_and_cancel_only_their_own_jobs(web: WebApp, role: str) -> None:
    user = add_user(web.session_factory, role)
    theirs = _running_job(web, requested_by=user)
    others = _claimed(web, theirs.job.parameters["version_id"], None)
    with page_client(web.app, user) as client:
        page = client.get("/jobs")
        assert page.status_code == 200
        assert parse(page.text).by_id(f"job-{theirs.job.id}") is not None
        assert parse(page.text).by_id(f"job-{others.job.id}") is None
        assert 'href="/jobs"' in page.text  # in their navigation too
        assert client.get(f"/jobs/{theirs.job.id}/row").status_code == 200
        assert client.get(f"/jobs/{others.job.id}/row").status_code == 404
        token = {"csrf_token": csrf_of(page)}
        refused = client.post(f"/jobs/{others.job.id}/cancel", data=token)
        assert refused.status_code == 404
        done = client.post(f"/jobs/{theirs.job.id}/cancel", data=token, follow_redirects=False)
        assert done.status_code == 303
    factory = web.session_factory
    assert get_job(factory=factory, job_id=theirs.job.id).cancel_requested
    assert not get_job(factory=factory, job_id=others.job.id).cancel_requested
    everyone = web.client.get("/jobs").text  # a coordinator sees every job
    assert f'id="job-{theirs.job.id}"' in everyone
    assert f'id="job-{others.job.id}"' in everyone


def test_a_running_job_shows_live_progress_and_can_be_cancelled(web: WebApp) -> None:
    claim = _running_job(web)
    page = web.client.get("/jobs")
    html = parse(page.text)
    row = html.by_id(f"job-{claim.job.id}")
    assert row is not None
    assert row.attrs["hx-get"] == f"/jobs/{claim.job.id}/row"
    assert row.attrs["hx-trigger"] == "every 1s"
    text = page.text
    assert "Running" in text
    assert "40%" in text
    assert "Checking." in text
    assert "Scheduler" in text  # started by no one: the scheduler
    assert "<script" not in text.split("</head>", 1)[1]  # no inline script
    refused = web.client.post(f"/jobs/{claim.job.id}/cancel", data={})
    assert refused.status_code == 403  # no CSRF token
    cancelled = web.client.post(
        f"/jobs/{claim.job.id}/cancel", data={"csrf_token": csrf_of(page)}, follow_redirects=False
    )
    assert cancelled.status_code == 303
    assert get_job(factory=web.session_factory, job_id=claim.job.id).cancel_requested


def test_a_finished_row_stops_polling(web: WebApp) -> None:
    claim = _running_job(web)
    finish_job(
        factory=web.session_factory, claim=claim, status=JobStatus.SUCCEEDED, message="Done."
    )
    row = web.client.get(f"/jobs/{claim.job.id}/row")
    assert row.status_code == 200
    assert "hx-trigger" not in row.text
    assert "Succeeded" in row.text
    assert "100%" in row.text
    assert 'action="/jobs/' not in row.text  # nothing left to cancel
