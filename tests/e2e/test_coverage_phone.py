"""The coverage requirements page on a 390 px phone: a coordinator adds a clinic rule "not on
holidays" with the page's own form (the rule read back in words as it is typed; a bad count
is refused at its field first), sees it in the list, and deletes it; nothing pushes the page
sideways."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import PHONE

pytestmark = pytest.mark.e2e
NAME = "Clinic AM, closed on holidays"


def _fits_the_width(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide on a {PHONE['width']} px phone"


def test_a_coordinator_adds_a_clinic_rule_not_on_holidays_on_a_phone(
    phone: Page, screenshot_dir: Path
) -> None:
    phone.goto("/program")
    phone.get_by_role("link", name="Coverage requirements").click()
    expect(phone.locator("h1")).to_have_text("Coverage requirements")
    _fits_the_width(phone)
    phone.get_by_role("link", name="Add a coverage requirement").click()
    phone.get_by_label("Name").fill(NAME)
    phone.get_by_label("Shift").select_option("CLIN-AM")
    phone.get_by_label("At least (people)").fill("0")
    phone.get_by_label("At most (people)").fill("eight")
    phone.get_by_label("Holidays").select_option("not_on_holidays")
    # The rule in words under the form follows it as it changes (htmx).
    preview = phone.locator("#coverage-preview")
    expect(preview).to_contain_text("not a rule yet")
    phone.get_by_label("At most (people)").fill("8")
    expect(preview).to_contain_text("Monday to Friday, not on holidays: at most 8")
    phone.get_by_label("At most (people)").fill("eight")
    phone.get_by_role("button", name="Add coverage requirement").click()
    expect(phone.get_by_role("alert")).to_contain_text("Enter a whole number.")
    expect(phone.get_by_label("At most (people)")).to_have_attribute("aria-invalid", "true")
    # What was typed is kept: the holiday rule and the weekdays need no second choice.
    expect(phone.get_by_label("Holidays")).to_have_value("not_on_holidays")
    expect(phone.get_by_label("Friday")).to_be_checked()
    _fits_the_width(phone)
    phone.screenshot(path=str(screenshot_dir / "coverage-form-phone.png"), full_page=True)

    phone.get_by_label("At most (people)").fill("8")
    phone.get_by_role("button", name="Add coverage requirement").click()
    expect(phone.get_by_role("status")).to_have_text("The coverage requirement was added.")
    row = phone.get_by_role("row", name=NAME)
    expect(row).to_contain_text("Monday to Friday, not on holidays: at most 8")
    _fits_the_width(phone)

    # The other browser tests share this database: the demo's rules as they were.
    row.get_by_role("button", name=f"Delete {NAME}").click()
    expect(phone.get_by_role("status")).to_have_text("The coverage requirement was deleted.")
    expect(phone.get_by_role("row", name=NAME)).to_have_count(0)
