"""The compliance report PDF as a background job (kind ``compliance_pdf``): submitted through
/jobs with its parameters checked at once, run by the worker's code (tests/job_helpers.py)
with its progress, the PDF fetched from /jobs/{id}/file; on the demo and the pediatrics-like
program (tests/today_data.py)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy.orm import Session, sessionmaker

from resched.core.model import ScheduleStatus
from resched.db.tables import UserRole
from resched.tasks.handlers import render_compliance_pdf
from resched.tasks.runner import JobCancelled, JobContext
from tests.api.conftest import ClientAs
from tests.job_helpers import RecordingQueue, inline_runtime, work_off
from tests.pdf_text import pdf_text
from tests.plan_data import store_plan
from tests.today_data import DUTY_STORES, Duties

pytestmark = pytest.mark.db
Factory = sessionmaker[Session]


@pytest.fixture(params=sorted(DUTY_STORES))
def duties(request: pytest.FixtureRequest, session_factory: Factory) -> Duties:
    return DUTY_STORES[request.param](session_factory)


def _body(version_id: Any, **more: Any) -> dict[str, Any]:
    return {"kind": "compliance_pdf", "parameters": {"version_id": version_id, **more}}


def test_the_compliance_pdf_as_a_job(
    app: FastAPI,
    client_as: ClientAs,
    database_url: str,
    session_factory: Factory,
    duties: Duties,
) -> None:
    queue = RecordingQueue()
    app.state.job_queue = queue
    coordinator = client_as(UserRole.COORDINATOR)
    start, end = duties.day.replace(day=1).isoformat(), duties.day.isoformat()
    job = coordinator.post("jobs", json=_body(duties.plan.version_id, start=start, end=end))
    assert job.status_code == 202, job.text
    job_id = job.json()["id"]
    assert coordinator.get(f"jobs/{job_id}/file").status_code == 409
    assert work_off(inline_runtime(database_url, session_factory), queue) == ["succeeded"]
    done = coordinator.get(f"jobs/{job_id}").json()
    assert done["progress"] == 1.0
    assert done["message"].startswith(f"Wrote compliance-{duties.plan.version_id}-")
    response = coordinator.get(f"jobs/{job_id}/file")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith('attachment; filename="compliance-')
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content).replace("\n", " ")
    assert coordinator.get("program").json()["name"] in text
    assert "ACGME compliance report" in text
    # The same report the direct route makes of that range.
    direct = coordinator.get(
        f"schedules/{duties.plan.version_id}/compliance.pdf", params={"start": start, "end": end}
    )
    assert "Findings by rule" in pdf_text(direct.content)
    assert "Findings by rule" in text


@pytest.mark.parametrize(
    ("parameters", "field"),
    [
        ({"version_id": None}, "version_id"),
        ({"version_id": "x"}, "version_id"),
        ({"start": "2026-02-30"}, "start"),
        ({"end": "20260701"}, "end"),
        ({"start": "2026-07-10", "end": "2026-07-01"}, "end"),
        ({"start": "2024-07-01", "end": "2026-07-02"}, "end"),
    ],
)
def test_bad_parameters_are_422_at_submit(
    app: FastAPI, client_as: ClientAs, duties: Duties, parameters: dict[str, Any], field: str
) -> None:
    queue = RecordingQueue()
    app.state.job_queue = queue
    body = {"kind": "compliance_pdf", "parameters": {"version_id": duties.plan.version_id}}
    body["parameters"] |= parameters
    refused = client_as(UserRole.COORDINATOR).post("jobs", json=body)
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["details"]["field"] == field
    assert queue.sent == []


def test_who_may_submit(
    app: FastAPI, client_as: ClientAs, session_factory: Factory, duties: Duties
) -> None:
    """Submitting is schedule work, as for every job kind: a resident (who may not read
    drafts) cannot ask for a draft's report, nor for the published one's."""
    queue = RecordingQueue()
    app.state.job_queue = queue
    coordinator = client_as(UserRole.COORDINATOR)
    assert coordinator.post("jobs", json=_body(999999)).status_code == 404
    draft = store_plan(session_factory, duties.plan.year_id, [], ScheduleStatus.DRAFT)
    resident = client_as(UserRole.RESIDENT, person_id=duties.call)
    for version_id in (draft, duties.plan.version_id):
        assert resident.post("jobs", json=_body(version_id)).status_code == 403
    assert queue.sent == []
    assert coordinator.post("jobs", json=_body(draft)).status_code == 202
    assert len(queue.sent) == 1


def test_the_openapi_document_says_the_file_may_be_a_pdf(app: FastAPI) -> None:
    ok = app.openapi()["paths"]["/api/v1/jobs/{job_id}/file"]["get"]["responses"]["200"]
    assert "application/pdf" in ok["content"]
    assert "PDF" in ok["description"]


class _Steps(JobContext):
    """A job context that keeps every progress report, to check the steps' order."""

    def __init__(self, factory: Factory, parameters: dict[str, Any]) -> None:
        super().__init__(factory=factory, parameters=parameters, actor=None)
        self.steps: list[tuple[float, str]] = []

    def report(self, progress: float, message: str, details: dict[str, Any] | None = None) -> None:
        self.steps.append((progress, message))
        super().report(progress, message, details)


def test_the_handler_reports_reading_checking_and_rendering(
    session_factory: Factory, duties: Duties
) -> None:
    context = _Steps(session_factory, {"version_id": duties.plan.version_id})
    done = render_compliance_pdf(context)
    words = [message.split()[0] for _, message in context.steps]
    assert words == ["Reading", "Checking", "Rendering"]
    fractions = [fraction for fraction, _ in context.steps]
    assert fractions == sorted(fractions)
    assert done.result is not None
    assert done.result["media_type"] == "application/pdf"


def test_a_cancel_stops_it_between_two_steps(session_factory: Factory, duties: Duties) -> None:
    context = _Steps(session_factory, {"version_id": duties.plan.version_id})
    context.cancel.cancel()
    with pytest.raises(JobCancelled):
        render_compliance_pdf(context)
    assert context.steps == []
