"""/today: everyone's landing page once a schedule is published. Who is on now, today and
tonight with tel: links; coordinators and admins also see what needs them. The app's clock is
fixed (``app.state.clock``), on the demo and on a pediatrics-like program."""

from __future__ import annotations

import pytest

from resched.db.tables import UserRole
from tests.today_data import DUTY_STORES, Duties
from tests.web.conftest import WebApp
from tests.web.htmlcheck import parse

pytestmark = pytest.mark.db


@pytest.fixture(params=sorted(DUTY_STORES))
def duties(web: WebApp, request: pytest.FixtureRequest) -> Duties:
    stored = DUTY_STORES[request.param](web.session_factory)
    web.app.state.clock = lambda: stored.at(6, 30)
    return stored


def test_home_leads_everyone_to_today_once_a_schedule_is_published(
    web: WebApp, duties: Duties
) -> None:
    for client in (web.client, web.client_as(UserRole.RESIDENT), web.client_as(UserRole.ADMIN)):
        home = client.get("/", follow_redirects=False)
        assert home.headers["location"] == "/today"
    assert web.anonymous.get("/today", follow_redirects=False).status_code == 303


def test_an_admin_on_an_empty_database_still_goes_to_setup(web: WebApp) -> None:
    admin = web.client_as(UserRole.ADMIN)
    assert admin.get("/", follow_redirects=False).headers["location"] == "/setup"
    assert web.client.get("/", follow_redirects=False).headers["location"] == "/program"
    empty = parse(web.client.get("/today").text)
    assert "No published schedule covers today" in empty.text


def test_the_night_on_now_with_its_contact_links(web: WebApp, duties: Duties) -> None:
    resident = web.client_as(UserRole.RESIDENT)
    page = parse(resident.get("/today").text)
    on_now = page.by_id("on-now")
    assert on_now is not None
    section = on_now.parent
    assert section is not None
    links = [a.attrs["href"] for a in section.all("a")]
    assert links[0].startswith("tel:")
    assert "Night" in section.text
    # Every time in the program's zone, the zone named once.
    zone = duties.zone.key
    assert page.text.count(zone) == 1
    assert "Needs attention" not in page.text
    nav = [a.attrs["href"] for a in page.iter("a") if a.parent and a.parent.tag == "li"]
    assert nav[0] == "/today"


def test_coordinators_and_admins_see_what_needs_them(web: WebApp, duties: Duties) -> None:
    for client in (web.client, web.client_as(UserRole.ADMIN)):
        page = parse(client.get("/today").text)
        needs = page.by_id("needs-me")
        assert needs is not None
        assert needs.parent is not None
        text = needs.parent.text
        assert "open request" in text
        assert "coverage gap" in text
        assert "running or queued" in text
        hrefs = {a.attrs["href"] for a in needs.parent.all("a")}
        assert "/requests?status=open" in hrefs
        assert "/jobs" in hrefs
        assert any(h.startswith("/compliance?version=") for h in hrefs)


def test_the_page_reads_a_bounded_number_of_statements(web: WebApp, duties: Duties) -> None:
    resident = web.client_as(UserRole.RESIDENT)
    resident.get("/today")  # warm: the session lookup's first read
    plain = web.queries.measure(lambda: resident.get("/today"))
    full = web.queries.measure(lambda: web.client.get("/today"))
    assert plain <= 16
    assert full <= 45
