"""/schedule, /schedule/print and /schedule/candidates (who could take a shift, coordinators
only, linked from the day view): everyone signed in reads the published schedule by day, week
or month; drafts only coordinators; a parameter the page cannot read is a 422 naming it. The
app's clock is fixed, on the demo and on a pediatrics-like program."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from resched.core.model import AbsenceType, Assignment, Person, ScheduleStatus
from resched.db.repositories import PeopleRepository
from resched.db.tables import UserRole
from resched.services.pages.schedule_rows import Cell, Entry
from resched.web.schedule_page import _BODIES, _cells_html
from tests.generation_data import store_tiny, store_version
from tests.plan_data import store_plan
from tests.today_data import Duties, store_demo_duties, store_peds_duties, store_shifts
from tests.web.conftest import WebApp
from tests.web.htmlcheck import parse

pytestmark = pytest.mark.db

STORES: dict[str, Callable[..., Duties]] = {
    "demo": store_demo_duties,
    "pediatrics": store_peds_duties,
}


@pytest.fixture(params=sorted(STORES))
def duties(web: WebApp, request: pytest.FixtureRequest) -> Duties:
    stored = STORES[request.param](web.session_factory)
    web.app.state.clock = lambda: stored.at(6, 30)
    return stored


def _people(web: WebApp) -> list[Person]:
    with web.session_factory() as session:
        return PeopleRepository(session).in_year(0)


def _row_names(html: str) -> list[str]:
    page = parse(html)
    return [th.text.strip() for th in page.iter("th") if "names" in th.attrs.get("class", "")][1:]


def test_everyone_reads_the_month_with_today_and_a_legend(web: WebApp, duties: Duties) -> None:
    for client in (web.client_as(UserRole.RESIDENT), web.client_as(UserRole.FACULTY), web.client):
        response = client.get("/schedule")
        assert response.status_code == 200
        page = parse(response.text)
        assert page.by_id("legend") is not None
        today = [th for th in page.iter("th") if th.attrs.get("aria-current") == "date"]
        assert len(today) == 1
        assert "Today" in today[0].text
        assert duties.day.strftime("%B %Y") in page.text
    nav = parse(web.client.get("/schedule").text)
    main = next(n for n in nav.iter("nav") if n.attrs.get("aria-label") == "Main")
    assert [a.attrs["href"] for a in main.iter("a")][:2] == ["/today", "/schedule"]


def test_the_day_view_lists_who_is_on_call(web: WebApp, duties: Duties) -> None:
    page = parse(web.client.get(f"/schedule?view=day&date={duties.day.isoformat()}").text)
    heading = page.by_id("day-list")
    assert heading is not None
    assert heading.parent is not None
    listed = heading.parent.text
    assert "Who is on" in listed
    calls = [li for li in heading.parent.iter("li") if "call" in li.attrs.get("class", "")]
    assert all("On call" in li.text for li in calls)


def test_filters_narrow_rows_and_travel_with_the_links(web: WebApp, duties: Duties) -> None:
    everyone = _row_names(web.client.get("/schedule").text)
    pgy1 = web.client.get("/schedule?pgy=1").text
    assert 0 < len(_row_names(pgy1)) < len(everyone)
    page = parse(pgy1)
    hrefs = [a.attrs["href"] for a in page.iter("a") if a.attrs.get("rel") in ("prev", "next")]
    assert hrefs
    assert all("pgy=1" in h for h in hrefs)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("view=year", "view"),
        ("date=2026-13-01", "date"),
        ("date=20261014", "date"),
        ("group=team", "group"),
        ("pgy=first", "pgy"),
        ("pgy=0", "pgy"),
        ("version=abc", "version"),
        ("version=99999999999", "version"),
        ("person=nobody", "person"),
        ("rotation=NOPE", "rotation"),
        ("shift=NOPE", "shift"),
    ],
)
def test_a_bad_parameter_is_a_4xx_naming_it(
    web: WebApp, duties: Duties, query: str, field: str
) -> None:
    response = web.client_as(UserRole.RESIDENT).get(f"/schedule?{query}")
    assert response.status_code == 422
    assert f"{field}:" in parse(response.text).text
    assert "Everyone" not in response.text  # never the unfiltered page


def test_drafts_for_coordinators_only(web: WebApp, duties: Duties) -> None:
    draft = store_plan(web.session_factory, duties.plan.year_id, [], ScheduleStatus.DRAFT)
    store_shifts(web.session_factory, draft, [Assignment(duties.call, duties.day, "NIGHT")])
    path = f"/schedule?version={draft}&date={duties.day.isoformat()}"
    for role in (UserRole.RESIDENT, UserRole.FACULTY):
        assert web.client_as(role).get(path).status_code == 404
    for client in (web.client, web.client_as(UserRole.ADMIN)):
        response = client.get(path)
        assert response.status_code == 200
        assert "Draft:" in response.text
        links = [a.attrs["href"] for a in parse(response.text).iter("a")]
        assert any(f"version={draft}" in h for h in links if "rel" in h or "/schedule?" in h)


def test_coordinators_pick_a_draft_residents_get_no_picker(web: WebApp, duties: Duties) -> None:
    draft = store_plan(web.session_factory, duties.plan.year_id, [], ScheduleStatus.DRAFT)
    store_shifts(web.session_factory, draft, [Assignment(duties.call, duties.day, "NIGHT")])
    path = f"/schedule?date={duties.day.isoformat()}"
    published = parse(web.client.get(path).text)
    picker = next(s for s in published.iter("select") if s.attrs.get("name") == "version")
    options = {o.attrs["value"]: o for o in picker.iter("option")}
    assert "selected" in options[""].attrs  # the published schedule is shown by default
    assert str(draft) in options
    chosen = parse(web.client.get(f"{path}&version={draft}").text)
    picker = next(s for s in chosen.iter("select") if s.attrs.get("name") == "version")
    assert [o.attrs["value"] for o in picker.iter("option") if "selected" in o.attrs] == [
        str(draft)
    ]
    resident = parse(web.client_as(UserRole.RESIDENT).get(path).text)
    assert not [s for s in resident.iter("select") if s.attrs.get("name") == "version"]


def test_the_printable_call_schedule(web: WebApp, duties: Duties) -> None:
    month = duties.day.strftime("%Y-%m")
    response = web.client_as(UserRole.RESIDENT).get(f"/schedule/print?month={month}")
    assert response.status_code == 200
    page = parse(response.text)
    assert "Call schedule" in page.all("h1")[0].text
    assert any("schedule.css" in link.attrs.get("href", "") for link in page.iter("link"))
    today = [td for td in page.iter("td") if td.attrs.get("aria-current") == "date"]
    if duties.zone.key == "America/Chicago":  # the demo: in-house and at-home call
        (cell,) = today
        names = {p.id: p.name for p in _people(web)}
        assert names[duties.call] in cell.text  # on 24-hour call that day
        assert names[duties.faculty] in cell.text  # on call from home
        assert names[duties.day_shift] not in cell.text  # a ward day is no call
    else:  # the pediatrics program has night float, but no call
        assert not today
        assert "No on-call shifts" in page.text
    bad = web.client.get("/schedule/print?month=October")
    assert bad.status_code == 422
    assert "month:" in bad.text


def test_the_draft_review_opens_its_month_in_the_schedule_views(web: WebApp) -> None:
    tiny = store_tiny(web.session_factory)
    day = dt.date(2026, 7, 6)
    shifts = [Assignment(tiny.residents[0], day, "DAY")]
    draft = store_version(web.session_factory, tiny, shifts=shifts)
    review = parse(web.client.get(f"/generate/drafts/{draft}?month=2026-07").text)
    link = next(a for a in review.iter("a") if "schedule views" in a.text)
    assert link.attrs["href"] == f"/schedule?version={draft}&date=2026-07-01"
    page = web.client.get(link.attrs["href"])
    assert page.status_code == 200
    assert "Draft:" in page.text
    assert len(_row_names(page.text)) >= 1


def test_a_cell_with_a_shift_and_an_absence_keeps_both_marks() -> None:
    cell = Cell((Entry("CALL", "24 h <call>", on_call=True),), AbsenceType.SICK)
    html = str(_cells_html(["today"], [cell]))
    assert html.startswith('<td class="today away"><abbr class="code call"')
    assert "24 h &lt;call&gt; (on call)" in html  # escaped once, never twice
    assert 'title="Away: Sick"' in html


def _links(html: str) -> list[str]:
    page = parse(html)
    return [
        a.attrs["href"]
        for a in page.iter("a")
        if a.attrs.get("href", "").startswith("/schedule/candidates?")
    ]


def test_the_day_view_links_to_the_candidates(web: WebApp, duties: Duties) -> None:
    day_view = f"/schedule?view=day&date={duties.day.isoformat()}"
    links = _links(web.client.get(day_view).text)
    assert links
    response = web.client.get(links[0])
    assert response.status_code == 200, response.text
    page = parse(response.text)
    assert [h.text for h in page.iter("h1")] == ["Who could take this shift?"]
    assert "could take it" in page.text or "No one could take" in page.text


def test_only_coordinators_get_the_links_and_the_page(web: WebApp, duties: Duties) -> None:
    day_view = f"/schedule?view=day&date={duties.day.isoformat()}"
    link = _links(web.client.get(day_view).text)[0]
    resident = web.client_as(UserRole.RESIDENT)
    assert _links(resident.get(day_view).text) == []
    assert resident.get(link).status_code == 403


@pytest.mark.parametrize(
    ("query", "field"),
    [("person=x&day=2026-10-14&shift=CALL", "version"), ("version=1&day=2026-10-14", "person")],
)
def test_a_missing_parameter_is_a_422_naming_it(
    web: WebApp, duties: Duties, query: str, field: str
) -> None:
    response = web.client.get(f"/schedule/candidates?{query}")
    assert response.status_code == 422
    assert f"{field}:" in parse(response.text).text


def test_the_grid_is_rendered_once_per_view_and_kind_of_reader(web: WebApp, duties: Duties) -> None:
    """The body of the page is kept per view object and kind of reader: a coordinator's has
    the cells' edit links, a resident's none, whoever rendered first; a change shows at once."""
    residents = [web.client_as(UserRole.RESIDENT) for _ in range(2)]  # each a person: a change
    coordinator = web.client.get("/schedule").text
    first = residents[0].get("/schedule").text
    hits = _BODIES.hits
    second = residents[1].get("/schedule").text
    assert _BODIES.hits == hits + 1  # another resident, the same view: the same body
    assert "cell-link" in coordinator
    assert "cell-link" not in first
    assert "cell-link" not in second
    assert web.client.get("/schedule").text.count("cell-link") == coordinator.count("cell-link")
    resident = duties.plan.residents[-1]
    name = next(p.name for p in _people(web) if p.id == resident)
    later = duties.day + dt.timedelta(days=3)
    store_shifts(
        web.session_factory, duties.plan.version_id, [Assignment(resident, later, "NIGHT")]
    )
    day_view = residents[0].get(f"/schedule?view=day&date={later}")
    night = next(
        s
        for s in parse(day_view.text).iter("li")
        if "agenda-shift" in s.attrs.get("class", "") and "NIGHT" in s.text
    )
    assert name in night.text
