"""My schedule on a 390 px phone: a resident linked to a demo resident signs in, opens My
schedule from the navigation, sees today's call in the list, the month calendar with today
marked and the codes explained, their hours, steps to the next month, and nothing is wider
than the screen.

The page reads the wall clock (the server's own), so the shifts are written around the current
date in the demo's zone. This server has its own database: publishing there would change the
landing page of the other browser tests.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from resched.core.model import Role
from resched.db.tables import PersonRow, ShiftAssignmentRow
from tests.e2e.conftest import PASSWORD, PHONE, run_resched
from tests.e2e.published import OVERFLOW, demo_server, fresh_page, publishing
from tests.e2e.test_axe import AXE, AXE_TAGS, BLOCKING, RUN_AXE

pytestmark = pytest.mark.e2e
RESIDENT = "e2e.me"


def _publish_my_shifts(database_url: str) -> None:
    """A published version with the first resident's call today, a ward day tomorrow and a
    night in three days; an account linked to that resident."""
    with publishing(database_url, "My schedule's browser test") as published:
        person = published.session.scalars(
            select(PersonRow).where(PersonRow.role == Role.RESIDENT).order_by(PersonRow.id)
        ).first()
        assert person is not None
        for offset, code in ((0, "CALL"), (1, "WARD"), (3, "NIGHT")):
            published.session.add(
                ShiftAssignmentRow(
                    version_id=published.version_id,
                    person_id=person.id,
                    day=published.today + dt.timedelta(days=offset),
                    shift_type_id=published.shift_ids[code],
                )
            )
        code = person.code
    run_resched(
        *("user", "create", "--username", RESIDENT, "--role", "resident", "--person", code),
        *("--password-stdin", "--database-url", database_url),
        stdin=PASSWORD + "\n",
    )


def _sign_in(phone: Page, next_path: str = "") -> None:
    phone.goto(f"/login?next={next_path}" if next_path else "/login")
    phone.get_by_label("Username").fill(RESIDENT)
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Sign in").click()


@pytest.fixture(scope="module")
def published_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with demo_server(tmp_path_factory.mktemp("my-schedule"), _publish_my_shifts) as base_url:
        yield base_url


@pytest.fixture
def phone(browser: Browser, published_server: str) -> Iterator[Page]:
    with fresh_page(browser, published_server, PHONE) as page:
        yield page


def test_a_resident_reads_their_schedule_on_a_phone(phone: Page, screenshot_dir: Path) -> None:
    _sign_in(phone)
    expect(phone).to_have_url("/today")
    nav = phone.get_by_role("navigation", name="Main").get_by_role("link")
    expect(nav.nth(1)).to_have_text("My schedule")
    nav.nth(1).click()
    expect(phone).to_have_url("/me")
    expect(phone.locator("h1")).to_have_text("My schedule")
    expect(phone.get_by_text("All times are in America/Chicago")).to_be_visible()
    upcoming = phone.locator("section", has=phone.get_by_role("heading", name="Next two weeks"))
    expect(upcoming.locator("li.my-day").first).to_contain_text("CALL")
    expect(upcoming.locator("li.my-day").first).to_contain_text("today")
    hours = phone.locator("section", has=phone.get_by_role("heading", name="Hours"))
    expect(hours).to_contain_text("Four-week average")
    month = phone.locator("table.my-month")
    expect(month.locator("td.is-today")).to_contain_text("CALL")
    expect(phone.get_by_role("heading", name="What the codes mean")).to_be_visible()
    # The whole month fits: the table is no wider than the screen.
    box = month.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"]
    assert phone.evaluate(OVERFLOW) <= 0
    phone.screenshot(path=str(screenshot_dir / "my-schedule-phone.png"), full_page=True)

    phone.locator("a[rel=next]").click()
    expect(phone).to_have_url(re.compile(r"/me\?month=\d{4}-\d{2}$"))
    expect(phone.get_by_role("link", name="This month")).to_be_visible()
    assert phone.evaluate(OVERFLOW) <= 0


def test_subscribing_to_the_calendar_on_a_phone(phone: Page, screenshot_dir: Path) -> None:
    """The Calendar section: the address shown once with its copy buttons, axe-clean and no
    wider than the screen; the feed answers a calendar; Revoke stops it."""
    phone.add_init_script(path=AXE)
    _sign_in(phone, "/me")
    expect(phone.locator("h1")).to_have_text("My schedule")
    phone.get_by_role("button", name="Subscribe to my calendar").click()
    webcal = phone.get_by_label("Subscribe address (webcal)")
    expect(webcal).to_have_value(re.compile(r"^webcal://.+/calendar/[A-Za-z0-9_-]+\.ics$"))
    https = phone.get_by_label("Web address (https)").input_value()
    expect(phone.get_by_role("button", name="Copy the webcal address")).to_be_visible()
    found = phone.evaluate(RUN_AXE, AXE_TAGS)
    assert [f for f in found if f["impact"] in BLOCKING] == []
    assert phone.evaluate(OVERFLOW) <= 0
    phone.screenshot(path=str(screenshot_dir / "my-calendar-phone.png"), full_page=True)
    feed = phone.request.get(https)
    assert feed.status == 200
    assert feed.text().startswith("BEGIN:VCALENDAR")
    phone.get_by_role("button", name="Revoke").click()
    expect(phone.get_by_text("Your calendar address was revoked")).to_be_visible()
    assert phone.request.get(https).status == 404
