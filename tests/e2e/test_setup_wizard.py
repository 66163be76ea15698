"""The first start in a browser, on a phone: an administrator signs in to an EMPTY database (no
demo), lands on Setup, and follows the checklist with the pages that exist - the program's
settings (the pediatrics sample's name, time zone and q4 call) and its academic year - seeing
each step turn Done and the Next step move on.

The catalogue and people steps (shift types, rotations, coverage, people) are links to pages
built separately; the test checks that Setup leads there, and the API test
(tests/api/test_pediatrics_from_empty.py) sets up and schedules the whole program.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import PASSWORD, PATIENCE_MS, PHONE, create_user, run_resched, serve

pytestmark = pytest.mark.e2e
ADMIN = "e2e.director"
CALL_LABEL = "In-house call at most every Nth night (nights)"
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.fixture(scope="module")
def empty_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Migrated, one administrator, nothing else: production's first start."""
    directory = tmp_path_factory.mktemp("empty")
    url = f"sqlite:///{directory / 'resched.db'}"
    run_resched("db", "upgrade", "--database-url", url)
    create_user(url, ADMIN, "admin")
    with serve(url, directory / "server.log") as base_url:
        yield base_url


@pytest.fixture
def phone(browser: Browser, empty_server: str) -> Iterator[Page]:
    context = browser.new_context(base_url=empty_server, viewport=PHONE)  # type: ignore[arg-type]
    context.set_default_timeout(PATIENCE_MS)
    yield context.new_page()
    context.close()


def _step(page: Page, key: str) -> str:
    return " ".join(page.locator(f"#step-{key}").inner_text().replace("\u2713", "").split())


def test_an_administrator_sets_the_program_up_from_an_empty_database(
    phone: Page, screenshot_dir: Path
) -> None:
    phone.goto("/")
    phone.get_by_label("Username").fill(ADMIN)
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    expect(phone).to_have_url("/setup")
    expect(phone.get_by_role("button", name="Load the demo program")).to_be_visible()
    expect(phone.get_by_role("heading", name="Set up your program")).to_be_visible()
    assert phone.evaluate(OVERFLOW) <= 0
    phone.screenshot(path=str(screenshot_dir / "setup-phone.png"), full_page=True)

    phone.get_by_role("link", name="Next: Program").click()
    expect(phone).to_have_url("/program/settings")
    phone.get_by_label("Program name").fill("Sample Pediatrics Residency")
    phone.get_by_label("Time zone").select_option("America/Denver")
    phone.get_by_label(CALL_LABEL).fill("4")
    phone.get_by_role("button", name="Save program settings").click()
    expect(phone.get_by_role("status")).to_have_text("The program settings were saved.")

    phone.goto("/setup")
    assert _step(phone, "program") == (
        "Program Done Sample Pediatrics Residency, time zone America/Denver"
    )
    phone.get_by_role("link", name="Next: Year, blocks and holidays").click()
    expect(phone.locator("h1")).to_have_text("Academic years")
    phone.get_by_label("Label").fill("2026-27")
    phone.get_by_label("First day").fill("2026-07-01")
    phone.get_by_label("Blocks", exact=True).select_option("monthly")
    phone.get_by_label("Add the US federal holidays (observed days)").check()
    phone.get_by_role("button", name="Create academic year").click()
    expect(phone.get_by_role("status")).to_have_text("The academic year was created.")

    phone.goto("/")  # no longer a first start: the program overview
    expect(phone).to_have_url("/program")
    phone.goto("/setup")
    assert _step(phone, "year") == "Year, blocks and holidays Done 2026-27: 12 blocks, 11 holidays"
    assert _step(phone, "shift-types").startswith("Shift types Next")
    expect(phone.get_by_role("button", name="Load the demo program")).to_have_count(0)
    next_step = phone.get_by_role("link", name="Next: Shift types")
    expect(next_step).to_have_attribute("href", "/program/shift-types")
    assert phone.evaluate(OVERFLOW) <= 0
