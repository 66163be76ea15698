"""The Academic years page on a 390 px phone: nothing wider than the screen, and a year is
created, given the US federal holidays and deleted with the page's own forms."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_years_page_fits_a_phone_and_creates_a_year(phone: Page) -> None:
    phone.goto("/program")
    phone.get_by_role("link", name="Academic years, blocks and holidays").click()
    expect(phone.locator("h1")).to_have_text("Academic years")
    assert phone.evaluate(OVERFLOW) <= 0
    phone.get_by_label("Label").fill("2030-31")
    phone.get_by_label("First day").fill("2030-07-01")
    phone.get_by_label("Blocks", exact=True).select_option("monthly")
    phone.get_by_role("button", name="Create academic year").click()
    expect(phone.get_by_role("status")).to_have_text("The academic year was created.")
    section = phone.locator("section", has=phone.get_by_role("heading", name="2030-31"))
    section.get_by_role("button", name="Add US federal holidays").click()
    expect(phone.get_by_text("Thanksgiving Day").first).to_be_visible()
    assert phone.evaluate(OVERFLOW) <= 0
    section = phone.locator("section", has=phone.get_by_role("heading", name="2030-31"))
    section.get_by_role("button", name="Delete 2030-31").click()
    expect(phone.get_by_role("status")).to_have_text("The academic year was deleted.")
