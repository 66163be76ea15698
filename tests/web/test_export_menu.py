"""The Export menu on every schedule view: the month schedule, the print page, Today, the
block plan and My schedule; each link answers, and the files are what they say."""

from __future__ import annotations

import io

import openpyxl
import pytest
from fastapi.responses import Response
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from resched.db.tables import UserRole
from resched.services.exports.common import XLSX_MEDIA_TYPE
from resched.services.jobs import submit_job
from resched.web.export_menu import PDF_PATH
from tests.job_helpers import RecordingQueue, inline_runtime, work_off
from tests.today_data import DUTY_STORES, Duties
from tests.web.conftest import WebApp
from tests.web.htmlcheck import parse

pytestmark = pytest.mark.db


@pytest.fixture(params=sorted(DUTY_STORES))
def duties(web: WebApp, request: pytest.FixtureRequest) -> Duties:
    stored = DUTY_STORES[request.param](web.session_factory)
    web.app.state.clock = lambda: stored.at(6, 30)
    return stored


LABELS = (
    "Excel (grid)",
    "Excel (whole year)",
    "Excel (rotation plan)",
    "CSV",
    "JSON (interchange)",
    "JSON",
    "Print",
    "PDF",
)


def menu(client: TestClient, path: str) -> dict[str, str]:
    """The Export menu's links on the page at ``path``: label -> href (the rest of a link's
    words are for screen readers)."""
    response = client.get(path)
    assert response.status_code == 200, response.text
    page = parse(response.text)
    (details,) = [d for d in page.iter("details") if "export-menu" in d.attrs.get("class", "")]
    links = {}
    for a in details.iter("a"):
        text = " ".join(a.text.split())
        label = next(w for w in LABELS if text == w or text.startswith(w + " "))
        links[label] = a.attrs["href"]
    return links


def _xlsx(client: TestClient, href: str) -> openpyxl.Workbook:
    response = client.get(href)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX_MEDIA_TYPE
    return openpyxl.load_workbook(io.BytesIO(response.content))


def test_the_month_schedule_offers_every_export(web: WebApp, duties: Duties) -> None:
    month = f"{duties.day:%Y-%m}"
    links = menu(web.client, f"/schedule?view=month&date={duties.day.isoformat()}")
    assert set(links) >= {"Excel (grid)", "Excel (whole year)", "CSV", "JSON (interchange)"}
    assert links["Print"] == f"/schedule/print?month={month}"
    grid = _xlsx(web.client, links["Excel (grid)"])
    assert grid.sheetnames == [month, "Legend"]
    year = _xlsx(web.client, links["Excel (whole year)"])
    assert year.sheetnames[-1] == "Legend"
    csv = web.client.get(links["CSV"])
    assert csv.status_code == 200
    assert csv.text.startswith("date,person code")
    document = web.client.get(links["JSON (interchange)"]).json()
    assert document["format"] == "resched.schedule/v1"
    assert web.client.get(links["Print"]).status_code == 200


def test_the_pdf_item_only_where_the_app_serves_it(web: WebApp, duties: Duties) -> None:
    served = any(c.path == PDF_PATH for c in iter_route_contexts(web.app.routes))
    links = menu(web.client, f"/schedule?date={duties.day.isoformat()}")
    assert ("PDF" in links) is served


def test_the_pdf_item_appears_once_the_route_exists(web: WebApp, duties: Duties) -> None:
    if not any(c.path == PDF_PATH for c in iter_route_contexts(web.app.routes)):
        web.app.add_api_route(PDF_PATH, lambda: Response(b"%PDF-1.7"), methods=["GET"])
    month = f"{duties.day:%Y-%m}"
    for page in (f"/schedule?date={duties.day.isoformat()}", f"/schedule/print?month={month}"):
        links = menu(web.client, page)
        assert links["PDF"] == f"{PDF_PATH}?month={month}"
    assert web.client.get(links["PDF"]).status_code == 200


def test_the_print_page_and_today_have_the_menu(web: WebApp, duties: Duties) -> None:
    links = menu(web.client, f"/schedule/print?month={duties.day:%Y-%m}")
    assert "Excel (grid)" in links
    assert _xlsx(web.client, links["Excel (grid)"]).worksheets[0]["D2"].value.day == 1
    today = menu(web.client, "/today")
    grid = _xlsx(web.client, today["Excel (grid)"])
    assert grid.worksheets[0]["D2"].value.date() == duties.day
    assert grid.worksheets[0].max_column == 4


def test_the_block_plan_offers_its_workbook(web: WebApp, duties: Duties) -> None:
    links = menu(web.client, "/plan")
    plan = _xlsx(web.client, links["Excel (rotation plan)"])
    assert plan.worksheets[0].freeze_panes == "D4"
    assert web.client.get(links["JSON"]).json()["academic_year_id"] == duties.plan.year_id


def test_residents_get_print_not_data_files(web: WebApp, duties: Duties) -> None:
    resident = web.client_as(UserRole.RESIDENT, person_id=duties.call)
    schedule = menu(resident, f"/schedule?date={duties.day.isoformat()}")
    assert "Print" in schedule
    assert "Excel (grid)" not in schedule
    assert "export-menu" not in resident.get("/plan").text
    mine = menu(resident, "/me")
    assert mine["Print"].startswith("/schedule/print?month=")
    assert resident.get(mine["Print"]).status_code == 200


def test_the_jobs_page_offers_a_finished_year_workbook(
    web: WebApp, database_url: str, duties: Duties
) -> None:
    queue = RecordingQueue()
    job = submit_job(
        factory=web.session_factory,
        queue=queue,
        kind="xlsx_year",
        parameters={"version_id": duties.plan.version_id},
        actor=None,
        requested_by=None,
    )
    page = parse(web.client.get("/jobs").text)
    row = page.by_id(f"job-{job.id}")
    assert row is not None
    assert not [a for a in row.iter("a") if a.text.startswith("Download")]  # queued: no file
    assert work_off(inline_runtime(database_url, web.session_factory), queue) == ["succeeded"]
    row = parse(web.client.get(f"/jobs/{job.id}/row").text).by_id(f"job-{job.id}")
    assert row is not None
    (link,) = [a.attrs["href"] for a in row.iter("a") if a.text.startswith("Download")]
    book = _xlsx(web.client, link)
    assert book.sheetnames[-1] == "Legend"
