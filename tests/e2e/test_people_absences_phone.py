"""People and absences on a 390 px phone: a coordinator adds a resident with the page's form,
the resident (given an account) signs in and requests a week away, the coordinator approves
it in place and deletes the resident again. Nothing is wider than the screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import PASSWORD, PATIENCE_MS, PHONE, run_resched
from tests.e2e.published import OVERFLOW

pytestmark = pytest.mark.e2e
CODE, NAME = "e2e.kim", "Kim Phone"


def _fits(page: Page) -> None:
    assert page.evaluate(OVERFLOW) <= 0


def _add_resident(phone: Page) -> None:
    phone.goto("/people")
    expect(phone.locator("h1")).to_have_text("People")
    _fits(phone)
    phone.get_by_role("link", name="Add a person").click()
    phone.get_by_label("Code").fill(CODE)
    phone.get_by_label("Name").fill(NAME)
    phone.get_by_label("Role").select_option("resident")
    phone.get_by_label("Credentials").fill("ACLS")
    phone.locator("select[name^='pgy_']").first.select_option("1")
    _fits(phone)
    phone.get_by_role("button", name="Add person").click()
    expect(phone.get_by_role("status")).to_have_text("The person was added.")
    expect(phone.locator("h1")).to_have_text(NAME)


def _request_a_week(browser: Browser, base_url: str, screenshot_dir: Path) -> None:
    context = browser.new_context(base_url=base_url, viewport=PHONE)  # type: ignore[arg-type]
    context.set_default_timeout(PATIENCE_MS)
    try:
        page = context.new_page()
        page.goto("/absences")
        page.get_by_label("Username").fill("e2e.kim")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.locator("h1")).to_have_text("Absences")
        page.get_by_label("First day").fill("2027-02-08")
        page.get_by_label("Last day").fill("2027-02-12")
        page.get_by_label("Type").select_option("vacation")
        page.get_by_role("button", name="Send request").click()
        expect(page.get_by_role("status")).to_have_text(
            "Your request was sent: a coordinator decides it."
        )
        expect(page.locator("tbody tr").first).to_contain_text("Requested")
        _fits(page)
        page.screenshot(path=str(screenshot_dir / "absence-request-phone.png"), full_page=True)
    finally:
        context.close()


def test_a_coordinator_adds_a_resident_who_requests_leave_that_is_approved(
    phone: Page, browser: Browser, base_url: str, database_file: str, screenshot_dir: Path
) -> None:
    _add_resident(phone)
    run_resched(
        "user", "create", "--username", "e2e.kim", "--role", "resident", "--person", CODE,
        "--password-stdin", "--database-url", database_file, stdin=PASSWORD + "\n",
    )  # fmt: skip
    _request_a_week(browser, base_url, screenshot_dir)

    phone.goto("/absences?status=requested")
    row = phone.locator("tr", has_text=NAME)
    expect(row).to_contain_text("Requested")
    _fits(phone)
    row.get_by_role("button", name="Approve").click()
    expect(row).to_contain_text("Approved")
    expect(row.get_by_role("button", name="Approve")).to_have_count(0)
    _fits(phone)

    # The other browser tests share this database and count the demo's residents: the
    # resident goes again (with their absence; their account stays, linked to no one).
    row.get_by_role("link", name=NAME).click()
    phone.get_by_role("link", name=f"Edit {NAME}").click()
    phone.get_by_role("button", name=f"Delete {NAME}").click()
    expect(phone.get_by_role("status")).to_have_text("The person was deleted.")
