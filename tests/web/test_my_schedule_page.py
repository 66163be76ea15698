"""/me and /people/{id}/schedule: the signed-in person's shifts, month, leave, hours and
requests; a coordinator opens anyone's; another resident is refused in words; a bad month is a
422 naming the field. The app's clock is fixed, on the demo and on a pediatrics-like program."""

from __future__ import annotations

import datetime as dt

import pytest

from resched.db.tables import UserRole
from resched.services.demo import load_demo
from tests.today_data import DUTY_STORES, Duties
from tests.web.conftest import WebApp
from tests.web.htmlcheck import parse
from tests.web.programs import Stored

pytestmark = pytest.mark.db


@pytest.fixture(params=sorted(DUTY_STORES))
def duties(web: WebApp, request: pytest.FixtureRequest) -> Duties:
    stored = DUTY_STORES[request.param](web.session_factory)
    web.app.state.clock = lambda: stored.at(6, 30)
    return stored


def _nav(text: str) -> list[str]:
    page = parse(text)
    nav = next(n for n in page.iter("nav") if n.attrs.get("aria-label") == "Main")
    return [a.attrs["href"] for a in nav.iter("a")]


def test_a_resident_sees_their_own_schedule(web: WebApp, duties: Duties) -> None:
    resident = web.client_as(UserRole.RESIDENT, person_id=duties.call)
    response = resident.get("/me")
    assert response.status_code == 200
    page = parse(response.text)
    assert page.all("h1")[0].text == "My schedule"
    upcoming = page.by_id("my-upcoming")
    assert upcoming is not None
    assert upcoming.parent is not None
    code = "CALL" if duties.zone.key == "America/Chicago" else "NIGHT"
    assert code in upcoming.parent.text
    assert "today" in upcoming.parent.text
    # Every time in the program's zone, the zone named once; the hours against the limit.
    assert page.text.count(duties.zone.key) == 1
    hours = page.by_id("my-hours")
    assert hours is not None
    assert hours.parent is not None
    assert "of 80 allowed" in hours.parent.text
    assert "Four-week average" in hours.parent.text
    # Published days without duty are days off, in words.
    assert any(li.text == "Off" for li in page.iter("li") if "my-off" in li.attrs.get("class", ""))
    # The navigation: My schedule right after Today, marked as the current page.
    assert _nav(response.text)[:2] == ["/today", "/me"]
    current = [a.attrs["href"] for a in page.iter("a") if a.attrs.get("aria-current") == "page"]
    assert current == ["/me"]
    today = parse(resident.get("/today").text)
    assert "/me" in [a.attrs["href"] for a in today.iter("a") if a.text == "My schedule"]


def test_month_navigation(web: WebApp, duties: Duties) -> None:
    resident = web.client_as(UserRole.RESIDENT, person_id=duties.call)
    month = duties.day.replace(day=1)
    following = f"{month.year + (month.month == 12)}-{month.month % 12 + 1:02d}"
    page = parse(resident.get("/me").text)
    links = {a.attrs.get("rel"): a.attrs["href"] for a in page.iter("a") if a.attrs.get("rel")}
    assert links["next"] == f"/me?month={following}"
    later = parse(resident.get(f"/me?month={following}").text)
    caption = later.all("caption")[0].text
    assert caption.startswith(later.by_id("my-month").text)  # type: ignore[union-attr]
    assert "This month" in later.text
    assert len(later.all("table")[0].all("th")) == 7


@pytest.mark.parametrize("bad", ["2026-13", "26-10", "2026-1", "October", "0000-01", "2026-10-01"])
def test_a_bad_month_names_the_field(web: WebApp, duties: Duties, bad: str) -> None:
    resident = web.client_as(UserRole.RESIDENT, person_id=duties.call)
    response = resident.get("/me", params={"month": bad})
    assert response.status_code == 422
    assert "month" in parse(response.text).text


def test_the_furthest_months_still_render(web: WebApp, duties: Duties) -> None:
    resident = web.client_as(UserRole.RESIDENT, person_id=duties.call)
    for month in ("1900-01", "2999-12"):
        assert resident.get("/me", params={"month": month}).status_code == 200, month


def test_a_coordinator_opens_anyones_schedule_from_the_person_page(
    web: WebApp, duties: Duties
) -> None:
    person_page = parse(web.client.get(f"/people/{duties.call}").text)
    hrefs = [a.attrs["href"] for a in person_page.iter("a")]
    assert f"/people/{duties.call}/schedule" in hrefs
    response = web.client.get(f"/people/{duties.call}/schedule")
    assert response.status_code == 200
    page = parse(response.text)
    assert page.all("h1")[0].text.startswith("Schedule of ")
    # The coordinator is linked to nobody: no My schedule in their navigation.
    assert "/me" not in _nav(response.text)
    assert web.client.get("/people/2147483647/schedule").status_code == 404


def test_another_resident_is_refused_in_words(web: WebApp, duties: Duties) -> None:
    resident = web.client_as(UserRole.RESIDENT, person_id=duties.call)
    response = resident.get(f"/people/{duties.day_shift}/schedule")
    assert response.status_code == 403
    assert "You can only see your own schedule" in parse(response.text).text
    # Their own through the same address is fine; the person page offers no link to others'.
    assert resident.get(f"/people/{duties.call}/schedule").status_code == 200
    other = parse(resident.get(f"/people/{duties.day_shift}").text)
    assert f"/people/{duties.day_shift}/schedule" not in [a.attrs["href"] for a in other.iter("a")]


def test_a_faculty_member_sees_their_calls(web: WebApp, duties: Duties) -> None:
    faculty = web.client_as(UserRole.FACULTY, person_id=duties.faculty)
    page = parse(faculty.get("/me").text)
    upcoming = page.by_id("my-upcoming")
    assert upcoming is not None
    assert upcoming.parent is not None
    text = upcoming.parent.text
    expected = ("ATTEND", "FAC-CALL") if duties.zone.key == "America/Chicago" else ("DAY",)
    assert all(code in text for code in expected)
    hours = page.by_id("my-hours")
    assert hours is not None
    assert hours.parent is not None
    assert "limit applies to residents" in hours.parent.text


def test_an_account_without_a_person_and_no_published_schedule(web: WebApp) -> None:
    page = parse(web.client.get("/me").text)
    assert "not linked to a person" in page.text
    load_demo(factory=web.session_factory)  # the program, nothing published
    web.app.state.clock = lambda: dt.datetime(2026, 10, 14, 12, tzinfo=dt.UTC)
    resident = web.client_as(UserRole.RESIDENT)
    text = parse(resident.get("/me").text).text
    assert "No schedule has been published for these dates yet" in text


def test_the_page_reads_a_bounded_number_of_statements(web: WebApp, duties: Duties) -> None:
    resident = web.client_as(UserRole.RESIDENT, person_id=duties.call)
    resident.get("/me")  # warm: the session lookup's first read
    # 19: the Calendar section reads whether a feed is live.
    assert web.queries.measure(lambda: resident.get("/me")) <= 19


def test_both_sample_programs_before_anything_is_published(web: WebApp, program: Stored) -> None:
    """The demo and the pediatrics program of tests/web/programs.py (America/Denver, calendar
    months): the resident's page names the zone, says nothing is published and still shows
    the month and the hours."""
    web.app.state.clock = lambda: dt.datetime(2026, 10, 14, 18, tzinfo=dt.UTC)
    resident = web.client_as(UserRole.RESIDENT, person_id=program.resident_ids[0])
    page = parse(resident.get("/me?month=2026-11").text)
    assert "No schedule has been published for these dates yet" in page.text
    assert "All times are in America/" in page.text
    assert page.by_id("my-month").text == "November 2026"  # type: ignore[union-attr]
    assert "Four-week average" in page.text
    # Nothing published: no day is called a day off.
    assert not [li for li in page.iter("li") if "my-off" in li.attrs.get("class", "")]
