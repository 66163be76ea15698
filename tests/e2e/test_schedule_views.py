"""The Schedule page in a browser: at 1280 px a month of the demo fits (the page never scrolls
sideways); on a narrower screen the grid scrolls in its own box while the names column stays
put; on a 390 px phone the agenda list replaces the grid and nothing is wider than the screen.

The page shows the month of the server's own today, so a whole month of shifts is written
around the current date in the demo's zone (every resident a ward day on weekdays, a call
each night, a faculty attending): the assertions name no date. This server has its own
database: publishing there would change the landing page of the other browser tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from resched.core.model import Role
from resched.db.tables import PersonRow, ShiftAssignmentRow
from tests.e2e.conftest import PASSWORD, PATIENCE_MS, PHONE, create_user
from tests.e2e.published import OVERFLOW, demo_server, publishing

pytestmark = pytest.mark.e2e
COORDINATOR = "e2e.schedule"
DESKTOP = {"width": 1280, "height": 900}
NARROW = {"width": 900, "height": 800}


def _publish_a_month(database_url: str) -> None:
    with publishing(database_url, "Schedule browser test") as published:
        session = published.session
        people = session.execute(select(PersonRow.id, PersonRow.role).order_by(PersonRow.id))
        residents = [pid for pid, role in people if role is Role.RESIDENT]
        faculty = session.scalars(
            select(PersonRow.id).where(PersonRow.role == Role.FACULTY).order_by(PersonRow.id)
        ).all()
        first = published.today.replace(day=1)
        for offset in range(31):
            day = first + dt.timedelta(days=offset)
            rows = [(residents[offset % len(residents)], "CALL"), (faculty[0], "ATTEND")]
            if day.isoweekday() <= 5:
                rows += [(p, "WARD") for p in residents[1:]]
            session.add_all(
                ShiftAssignmentRow(
                    version_id=published.version_id,
                    person_id=p,
                    day=day,
                    shift_type_id=published.shift_ids[code],
                )
                for p, code in rows
            )
    create_user(database_url, COORDINATOR, "coordinator")


@pytest.fixture(scope="module")
def published_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with demo_server(tmp_path_factory.mktemp("schedule"), _publish_a_month) as base_url:
        yield base_url


def _signed_in(browser: Browser, base_url: str, viewport: dict[str, int]) -> Page:
    context = browser.new_context(base_url=base_url, viewport=viewport)  # type: ignore[arg-type]
    context.set_default_timeout(PATIENCE_MS)
    page = context.new_page()
    page.goto("/login?next=/schedule")
    page.get_by_label("Username").fill(COORDINATOR)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto("/schedule")
    expect(page.locator("h1")).to_have_text("Schedule")
    return page


@pytest.fixture
def desktop(browser: Browser, published_server: str) -> Iterator[Page]:
    page = _signed_in(browser, published_server, DESKTOP)
    yield page
    page.context.close()


def test_a_month_fits_a_1280_px_screen(desktop: Page, screenshot_dir: Path) -> None:
    grid = desktop.locator("table.schedule-grid")
    expect(grid).to_be_visible()
    expect(grid.locator("thead th[aria-current=date]")).to_contain_text("Today")
    assert grid.locator("thead th.day").count() >= 28
    assert desktop.evaluate(OVERFLOW) <= 0
    scroll = desktop.locator(".schedule-scroll")
    assert scroll.evaluate("box => box.scrollWidth - box.clientWidth") <= 0  # the month fits
    expect(desktop.get_by_role("heading", name="Legend")).to_be_visible()
    expect(desktop.locator(".schedule-agenda")).to_be_hidden()
    desktop.screenshot(path=str(screenshot_dir / "schedule-month.png"), full_page=True)


def test_names_stay_put_when_the_grid_scrolls_sideways(
    browser: Browser, published_server: str
) -> None:
    page = _signed_in(browser, published_server, NARROW)
    try:
        scroll = page.locator(".schedule-scroll")
        assert scroll.evaluate("box => box.scrollWidth - box.clientWidth") > 0
        assert page.evaluate(OVERFLOW) <= 0  # the grid scrolls in its box, not the page
        name = page.locator("table.schedule-grid tbody th.names").first
        header = page.locator("table.schedule-grid thead th.day").first
        before, header_before = name.bounding_box(), header.bounding_box()
        scroll.evaluate("box => { box.scrollLeft = 400; }")
        after, header_after = name.bounding_box(), header.bounding_box()
        assert before is not None
        assert after is not None
        assert header_before is not None
        assert header_after is not None
        assert after["x"] == before["x"]
        assert header_after["x"] < header_before["x"]  # the days did move
    finally:
        page.context.close()


def test_a_phone_gets_the_agenda_list(
    browser: Browser, published_server: str, screenshot_dir: Path
) -> None:
    page = _signed_in(browser, published_server, PHONE)
    try:
        expect(page.locator("table.schedule-grid")).to_be_hidden()
        agenda = page.locator(".schedule-agenda")
        expect(agenda).to_be_visible()
        expect(agenda.locator(".agenda-day.today")).to_contain_text("Today")
        expect(agenda.get_by_text("On call").first).to_be_visible()
        assert page.evaluate(OVERFLOW) <= 0
        page.screenshot(path=str(screenshot_dir / "schedule-phone.png"))
    finally:
        page.context.close()


def test_the_printable_call_schedule(desktop: Page) -> None:
    desktop.get_by_role("link", name="Print the call schedule").click()
    expect(desktop.locator("h1")).to_contain_text("Call schedule")
    calendar = desktop.locator("table.call-calendar")
    expect(calendar.locator("td[aria-current=date]")).to_contain_text("CALL")
    assert desktop.evaluate(OVERFLOW) <= 0
    desktop.emulate_media(media="print")
    expect(desktop.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(calendar).to_be_visible()
