"""The Requests page on a 360 px phone, as a resident of the demo: nothing wider than the
screen; a day off is asked for with the page's own form, listed, and withdrawn."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import PASSWORD, PATIENCE_MS, run_resched
from tests.e2e.published import OVERFLOW

pytestmark = pytest.mark.e2e

SMALL_PHONE = {"width": 360, "height": 780}
RESIDENT = "e2e.resident"


@pytest.fixture
def resident_phone(browser: Browser, base_url: str, database_file: str) -> Iterator[Page]:
    """Demo resident r05, signed in through the sign-in form on a 360 px phone."""
    run_resched(
        "user", "create", "--username", RESIDENT, "--role", "resident", "--person", "r05",
        "--password-stdin", "--database-url", database_file, stdin=PASSWORD + "\n",
    )  # fmt: skip
    context = browser.new_context(base_url=base_url, viewport=SMALL_PHONE)  # type: ignore[arg-type]
    context.set_default_timeout(PATIENCE_MS)
    page = context.new_page()
    page.goto("/requests")
    page.get_by_label("Username").fill(RESIDENT)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url("/requests")
    yield page
    context.close()


def test_a_resident_asks_for_a_day_off_on_a_phone(
    resident_phone: Page, screenshot_dir: Path
) -> None:
    phone = resident_phone
    expect(phone.locator("h1")).to_have_text("Requests")
    expect(
        phone.get_by_role("navigation", name="Main").get_by_role("link", name="Requests")
    ).to_have_attribute("aria-current", "page")
    assert phone.evaluate(OVERFLOW) <= 0
    phone.get_by_label("What you ask for").select_option("day_off")
    phone.get_by_label("First day").fill("2027-03-15")
    phone.get_by_label("Note").fill("Board exam")
    phone.get_by_role("button", name="Send request").click()
    expect(phone.get_by_role("status")).to_have_text("Your request was added.")
    card = phone.locator("li.request", has_text="Board exam")
    expect(card).to_contain_text("Day off")
    expect(card).to_contain_text("15 Mar 2027")
    expect(card).to_contain_text("Open")
    assert phone.evaluate(OVERFLOW) <= 0
    card.screenshot(path=str(screenshot_dir / "requests-phone.png"))
    phone.screenshot(path=str(screenshot_dir / "requests-page-phone.png"), full_page=True)
    card.get_by_role("button", name="Withdraw").click()
    expect(phone.get_by_role("status")).to_have_text("The request was withdrawn.")
    expect(phone.locator("li.request", has_text="Board exam")).to_contain_text("Withdrawn")
