"""The pages' "Download PDF" links: /compliance/report.pdf beside the Compliance page and
/schedule/print.pdf beside the printable call schedule, on the demo and a pediatrics-like
program (tests/today_data.py), with the pages' permissions and their 422 for a bad value."""

from __future__ import annotations

import pytest

from resched.core.model import Assignment, ScheduleStatus
from resched.db.tables import UserRole
from resched.services import people
from resched.services.schedule_import import import_schedule
from tests.job_helpers import RecordingQueue, inline_runtime, work_off
from tests.pdf_text import page_count, pdf_text
from tests.plan_data import store_plan
from tests.schedule_data import store_program, troubled_doc
from tests.today_data import DUTY_STORES, Duties, store_shifts
from tests.web.conftest import WebApp
from tests.web.htmlcheck import parse
from tests.web.test_sign_in import csrf_of

pytestmark = pytest.mark.db


@pytest.fixture(params=sorted(DUTY_STORES))
def duties(web: WebApp, request: pytest.FixtureRequest) -> Duties:
    stored = DUTY_STORES[request.param](web.session_factory)
    web.app.state.clock = lambda: stored.at(6, 30)
    return stored


def _links(html: str) -> list[str]:
    return [a.attrs.get("href", "") for a in parse(html).iter("a") if "Download PDF" in a.text]


def _pdf_text(response: object) -> str:
    assert getattr(response, "status_code", None) == 200, getattr(response, "text", "")
    headers = getattr(response, "headers", {})
    assert headers["content-type"] == "application/pdf"
    assert headers["content-disposition"].startswith('attachment; filename="')
    data: bytes = getattr(response, "content", b"")
    assert page_count(data) >= 1
    return pdf_text(data).replace("\n", " ")


def test_the_print_page_links_its_pdf_and_the_pdf_shows_the_calls(
    web: WebApp, duties: Duties
) -> None:
    month = duties.day.strftime("%Y-%m")
    resident = web.client_as(UserRole.RESIDENT)
    (link,) = _links(resident.get(f"/schedule/print?month={month}").text)
    assert link == f"/schedule/print.pdf?month={month}"
    text = _pdf_text(resident.get(link))
    assert f"Call schedule, {duties.day:%B %Y}" in text
    names = {p.id: p.name for p in people.list_people(factory=web.session_factory).items}
    if duties.zone.key == "America/Chicago":  # the demo: in-house and at-home call
        assert names[duties.call] in text
        assert names[duties.faculty] in text
        assert names[duties.day_shift] not in text.split("Legend")[0]  # a ward day is no call
    else:  # night float and days only: as the page says
        assert f"No on-call shifts in {duties.day:%B %Y}." in text


def test_a_drafts_pdf_is_the_coordinators(web: WebApp, duties: Duties) -> None:
    draft = store_plan(web.session_factory, duties.plan.year_id, [], ScheduleStatus.DRAFT)
    store_shifts(web.session_factory, draft, [Assignment(duties.call, duties.day, "NIGHT")])
    month = duties.day.strftime("%Y-%m")
    path = f"/schedule/print.pdf?month={month}&version={draft}"
    for role in (UserRole.RESIDENT, UserRole.FACULTY):
        assert web.client_as(role).get(path).status_code == 404
    page = web.client.get(f"/schedule/print?month={month}&version={draft}").text
    assert _links(page) == [f"/schedule/print.pdf?month={month}&version={draft}"]
    assert "(draft)" in _pdf_text(web.client.get(path))


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/schedule/print.pdf?month=October", "month"),
        ("/schedule/print.pdf?version=abc", "version"),
        ("/compliance/report.pdf?start=2026-02-30", "start"),
        ("/compliance/report.pdf?version=0", "version"),
        ("/compliance/report.pdf?start=2026-07-10&end=2026-07-01", "end"),
    ],
)
def test_a_bad_value_is_a_422_naming_it(web: WebApp, path: str, field: str) -> None:
    store_program(web.session_factory)
    import_schedule(factory=web.session_factory, document=troubled_doc())
    response = web.client.get(path)
    assert response.status_code == 422
    assert f"{field}:" in parse(response.text).text


def test_the_compliance_page_links_the_report_of_its_version_and_range(web: WebApp) -> None:
    store_program(web.session_factory)
    version = import_schedule(factory=web.session_factory, document=troubled_doc()).version.id
    html = web.client.get("/compliance", params={"start": "2026-07-06", "end": "2026-08-02"}).text
    (link,) = _links(html)
    assert link == f"/compliance/report.pdf?version={version}&start=2026-07-06&end=2026-08-02"
    text = _pdf_text(web.client.get(link))
    assert "July 6, 2026 to August 2, 2026" in text
    assert "Not compliant:" in text
    assert "Cy Park (PGY-3) Jul 11-Jul 18" in text  # night float; Ada is under 80 h here
    # Drafts are the coordinators': a resident asking for this one is told it does not exist.
    assert web.client_as(UserRole.RESIDENT).get(link).status_code == 404
    signed_out = web.anonymous.get(link, follow_redirects=False)
    assert signed_out.status_code in {303, 307, 401}
    assert signed_out.headers.get("content-type") != "application/pdf"


def test_no_schedule_is_a_404_with_words(web: WebApp) -> None:
    store_program(web.session_factory)
    response = web.client.get("/compliance/report.pdf")
    assert response.status_code == 404
    assert "no schedule is stored yet" in response.text


def test_the_compliance_page_makes_its_pdf_in_the_background(
    web: WebApp, duties: Duties, database_url: str
) -> None:
    """The form beside "Download PDF" (coordinators: it submits a job) queues a
    ``compliance_pdf`` job of the page's version and range; the Jobs page offers the file."""
    queue = RecordingQueue()
    web.app.state.job_queue = queue
    version = duties.plan.version_id
    params = {"version": str(version), "end": duties.day.isoformat()}
    page = web.client.get("/compliance", params=params)
    forms = [f for f in parse(page.text).iter("form") if f.attrs.get("method") == "post"]
    (form,) = [f for f in forms if f.attrs.get("action") == "/compliance/report-job"]
    fields = {i.attrs["name"]: i.attrs.get("value", "") for i in form.iter("input")}
    assert fields["version_id"] == str(version)
    assert fields["end"] == duties.day.isoformat()
    assert "Make the PDF in the background" in form.text
    sent = web.client.post("/compliance/report-job", data=fields, follow_redirects=False)
    assert sent.status_code == 303, sent.text
    assert sent.headers["location"] == "/jobs"
    assert work_off(inline_runtime(database_url, web.session_factory), queue) == ["succeeded"]
    jobs_page = parse(web.client.get("/jobs").text)
    (link,) = [a.attrs["href"] for a in jobs_page.iter("a") if "the PDF of job" in a.text]
    data = web.client.get(link).content
    assert data.startswith(b"%PDF-")
    assert f"to {duties.day:%B} {duties.day.day}, {duties.day.year}" in pdf_text(data)
    # Residents read the page but submit no job; no form token, no job.
    resident = web.client_as(UserRole.RESIDENT)
    assert "/compliance/report-job" not in resident.get("/compliance", params=params).text
    fields["csrf_token"] = csrf_of(resident.get("/compliance", params=params))
    assert resident.post("/compliance/report-job", data=fields).status_code == 403
    del fields["csrf_token"]
    assert web.client.post("/compliance/report-job", data=fields).status_code == 403
    assert queue.sent == []  # the run above took the one job; the refusals queued none
