"""Starting the next academic year on a 390 px phone: the preview says what will happen, a bad
line of the pasted class shows at the text area with its row and column, and nothing pushes
the page sideways. Only previews: the shared e2e database keeps its one year."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.published import OVERFLOW

pytestmark = pytest.mark.e2e


def test_the_next_year_is_previewed_on_a_phone(phone: Page, screenshot_dir: Path) -> None:
    phone.goto("/program/years#next-year")
    section = phone.locator("#next-year")
    expect(section.get_by_role("heading", name="Start academic year 2027-28")).to_be_visible()
    incoming = section.get_by_label("Incoming class")
    incoming.fill("code,name,email,pgy\nnew1,Ada Lee,ada.new@example.org,1\nnew2,Ben Ode,,7\n")
    section.get_by_role("button", name="Preview 2027-28").click()
    expect(phone.get_by_role("alert")).to_contain_text("Row 3, column pgy")
    expect(phone.get_by_label("Incoming class")).to_have_attribute("aria-invalid", "true")
    assert phone.evaluate(OVERFLOW) <= 0
    phone.get_by_label("Incoming class").fill("new1,Ada Lee,ada.new@example.org,1\n")
    phone.get_by_role("button", name="Preview 2027-28").click()
    preview = phone.locator("#next-preview")
    expect(preview).to_contain_text("Joining: 1 resident.")
    expect(preview).to_contain_text("Moving up one PGY level")
    expect(phone.get_by_role("button", name="Start academic year 2027-28")).to_be_visible()
    assert phone.evaluate(OVERFLOW) <= 0
    phone.locator("#next-year").screenshot(path=str(screenshot_dir / "next-year-phone.png"))
