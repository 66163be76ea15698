"""The program's settings form on a phone: a coordinator sets in-house call every 4th night and
sees it saved; a looser value is refused at its field; nothing pushes the page sideways."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import PHONE

pytestmark = pytest.mark.e2e
CALL_LABEL = "In-house call at most every Nth night (nights)"


def _fits_the_width(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide on a {PHONE['width']} px phone"


def _save_call_every(page: Page, nth: str) -> None:
    page.get_by_label(CALL_LABEL).fill(nth)
    page.get_by_role("button", name="Save program settings").click()


def test_a_coordinator_sets_call_every_fourth_night_on_a_phone(
    phone: Page, screenshot_dir: Path
) -> None:
    phone.goto("/program#program-settings")
    expect(phone.get_by_role("heading", name="Program and duty-hour rules")).to_be_visible()
    expect(phone.get_by_text("ACGME: at least 3").first).to_be_visible()
    _fits_the_width(phone)
    phone.locator("#program-settings").screenshot(
        path=str(screenshot_dir / "program-settings-phone.png")
    )

    _save_call_every(phone, "2")
    expect(phone.get_by_role("alert")).to_contain_text("looser than the ACGME limit")
    expect(phone.get_by_label(CALL_LABEL)).to_have_attribute("aria-invalid", "true")
    _fits_the_width(phone)

    _save_call_every(phone, "4")
    expect(phone).to_have_url("/program?saved=1#program-settings")
    expect(phone.get_by_role("status")).to_have_text("The program settings were saved.")
    expect(phone.get_by_label(CALL_LABEL)).to_have_value("4")

    # The other browser tests share this database: back to the demo's every 3rd night.
    _save_call_every(phone, "3")
    expect(phone.get_by_label(CALL_LABEL)).to_have_value("3")
