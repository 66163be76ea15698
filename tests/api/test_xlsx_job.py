"""The whole year's workbook as a background job (kind ``xlsx_year``): submitted through
/jobs, run by the worker's code (tests/job_helpers.py), its progress reported sheet by sheet,
the file fetched from /jobs/{id}/file and offered on the Jobs page."""

from __future__ import annotations

import io

import openpyxl
import pytest
from fastapi import FastAPI
from sqlalchemy.orm import Session, sessionmaker

from resched.db.repositories import AcademicYearRepository
from resched.db.tables import UserRole
from resched.services.exports.common import XLSX_MEDIA_TYPE
from tests.api.conftest import ClientAs
from tests.job_helpers import RecordingQueue, inline_runtime, work_off
from tests.today_data import DUTY_STORES, Duties

pytestmark = pytest.mark.db
Factory = sessionmaker[Session]


@pytest.fixture(params=sorted(DUTY_STORES))
def duties(request: pytest.FixtureRequest, session_factory: Factory) -> Duties:
    return DUTY_STORES[request.param](session_factory)


def test_the_year_workbook_as_a_job(
    app: FastAPI,
    client_as: ClientAs,
    database_url: str,
    session_factory: Factory,
    duties: Duties,
) -> None:
    queue = RecordingQueue()
    app.state.job_queue = queue
    coordinator = client_as(UserRole.COORDINATOR)
    body = {"kind": "xlsx_year", "parameters": {"version_id": duties.plan.version_id}}
    job = coordinator.post("jobs", json=body)
    assert job.status_code == 202, job.text
    job_id = job.json()["id"]
    early = coordinator.get(f"jobs/{job_id}/file")
    assert early.status_code == 409
    assert work_off(inline_runtime(database_url, session_factory), queue) == ["succeeded"]
    done = coordinator.get(f"jobs/{job_id}").json()
    assert done["progress"] == 1.0
    assert done["message"].startswith("Wrote schedule-")
    response = coordinator.get(f"jobs/{job_id}/file")
    assert response.status_code == 200
    assert response.headers["content-type"] == XLSX_MEDIA_TYPE
    assert response.headers["content-disposition"].startswith('attachment; filename="schedule-')
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    with session_factory() as session:
        year = AcademicYearRepository(session).get(duties.plan.year_id)
    assert year is not None
    assert len(book.sheetnames) == len(year.blocks) + 1
    # The same workbook the direct route gives.
    direct = coordinator.get(f"schedules/{duties.plan.version_id}/year.xlsx")
    again = openpyxl.load_workbook(io.BytesIO(direct.content))
    assert again.sheetnames == book.sheetnames


def test_refusals(
    app: FastAPI,
    client_as: ClientAs,
    database_url: str,
    session_factory: Factory,
    duties: Duties,
) -> None:
    queue = RecordingQueue()
    app.state.job_queue = queue
    coordinator = client_as(UserRole.COORDINATOR)
    unknown = coordinator.post(
        "jobs", json={"kind": "xlsx_year", "parameters": {"version_id": 999999}}
    )
    assert unknown.status_code == 404
    missing = coordinator.post("jobs", json={"kind": "xlsx_year", "parameters": {}})
    assert missing.status_code == 422
    other = coordinator.post(
        "jobs",
        json={"kind": "compliance_check", "parameters": {"version_id": duties.plan.version_id}},
    )
    assert coordinator.get(f"jobs/{other.json()['id']}/file").status_code == 409
    assert work_off(inline_runtime(database_url, session_factory), queue) == ["succeeded"]
    no_file = coordinator.get(f"jobs/{other.json()['id']}/file")
    assert no_file.status_code == 409
    assert "made no file" in no_file.json()["error"]["message"]
    assert coordinator.get("jobs/999999/file").status_code == 404
    resident = client_as(UserRole.RESIDENT, person_id=duties.call)
    assert resident.get(f"jobs/{other.json()['id']}/file").status_code == 404
