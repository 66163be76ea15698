"""The Today page on a 390 px phone: a coordinator signs in and lands on it (a published
schedule exists), sees who is on now with a call link and what needs attention, and nothing is
wider than the screen.

The page reads the wall clock (the server's own), so the shifts are written around the
current date in the demo's zone: a call from yesterday morning, a night from yesterday evening
and a call from this morning, so that someone is on now whatever the hour. The assertions name
no time. This server has its own database: publishing there would change the landing page of
the other browser tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select, update

from resched.core.model import Role
from resched.db.tables import PersonRow, ShiftAssignmentRow
from tests.e2e.conftest import PASSWORD, PHONE, create_user
from tests.e2e.published import OVERFLOW, demo_server, fresh_page, publishing

pytestmark = pytest.mark.e2e
COORDINATOR = "e2e.today"


def _publish_shifts_around_now(database_url: str) -> None:
    with publishing(database_url, "Today's browser test") as published:
        session, today = published.session, published.today
        residents = session.scalars(
            select(PersonRow.id).where(PersonRow.role == Role.RESIDENT).order_by(PersonRow.id)
        ).all()
        yesterday = today - dt.timedelta(days=1)
        for person, day, code in (
            (residents[0], yesterday, "CALL"),
            (residents[1], yesterday, "NIGHT"),
            (residents[2], today, "CALL"),
            (residents[3], today, "WARD"),
        ):
            session.add(
                ShiftAssignmentRow(
                    version_id=published.version_id,
                    person_id=person,
                    day=day,
                    shift_type_id=published.shift_ids[code],
                )
            )
        session.execute(
            update(PersonRow)
            .where(PersonRow.id.in_(residents[:4]))
            .values(phone="+1 (312) 555-0100", pager="4-1234")
        )
    create_user(database_url, COORDINATOR, "coordinator")


@pytest.fixture(scope="module")
def published_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with demo_server(tmp_path_factory.mktemp("today"), _publish_shifts_around_now) as base_url:
        yield base_url


@pytest.fixture
def phone(browser: Browser, published_server: str) -> Iterator[Page]:
    with fresh_page(browser, published_server, PHONE) as page:
        yield page


def test_a_coordinator_lands_on_today_on_a_phone(phone: Page, screenshot_dir: Path) -> None:
    phone.goto("/")
    phone.get_by_label("Username").fill(COORDINATOR)
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    expect(phone).to_have_url("/today")
    expect(phone.locator("h1")).to_have_text("Today")
    expect(phone.get_by_text("All times are in America/Chicago")).to_be_visible()
    nav = phone.get_by_role("navigation", name="Main").get_by_role("link")
    expect(nav.first).to_have_text("Today")
    on_now = phone.locator("section", has=phone.get_by_role("heading", name="On now", exact=True))
    call = on_now.get_by_role("link", name="Call ").first
    expect(call).to_be_visible()
    assert (call.get_attribute("href") or "").startswith("tel:+1312555")
    box = call.bounding_box()
    assert box is not None
    assert box["height"] >= 40  # a thumb's target
    needs = phone.locator("section", has=phone.get_by_role("heading", name="Needs attention"))
    expect(needs.get_by_role("link", name="open request")).to_be_visible()
    expect(needs).to_contain_text("coverage gap")
    assert phone.evaluate(OVERFLOW) <= 0
    phone.screenshot(path=str(screenshot_dir / "today-phone.png"), full_page=True)
