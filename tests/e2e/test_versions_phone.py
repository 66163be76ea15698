"""The Versions page and a version's review on a 390 px phone: nothing wider than the screen,
the summary first, the diff last (reached from the page's own links)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.sample_plan import SAMPLE_LABEL

pytestmark = pytest.mark.e2e

OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_versions_and_a_review_fit_a_phone(phone: Page) -> None:
    phone.goto("/generate")
    phone.get_by_role("link", name="All versions, with who published them and why").click()
    expect(phone.locator("h1")).to_have_text("Schedule versions")
    assert phone.evaluate(OVERFLOW) <= 0
    row = phone.locator("tr", has_text=SAMPLE_LABEL)
    expect(row).to_contain_text("Draft")
    row.get_by_role("link").first.click()
    expect(phone.get_by_role("heading", level=2).first).to_have_text("Summary")
    expect(phone.locator("#summary-status")).to_contain_text("was not generated")
    assert phone.evaluate(OVERFLOW) <= 0
    phone.get_by_role("link", name="Changes", exact=True).click()
    expect(phone.locator("#changes")).to_be_in_viewport()
    assert phone.evaluate(OVERFLOW) <= 0
