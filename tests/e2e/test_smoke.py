"""The web shell in a real browser: signing in and out, the overview and the plan grid render,
the keyboard reaches the navigation with a visible focus, and the htmx PGY filter swaps the grid
in place."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.conftest import PASSWORD, USERNAME

pytestmark = pytest.mark.e2e

FOCUS_STYLE = """element => {
  const style = getComputedStyle(element);
  return {
    matches: element.matches(':focus-visible'),
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
    shadow: style.boxShadow !== 'none',
  };
}"""


def _assert_focus_visible(element: Locator) -> None:
    style = element.evaluate(FOCUS_STYLE)
    assert style["matches"], "keyboard focus matches :focus-visible"
    assert style["outline"] or style["shadow"], f"a visible focus indicator: {style}"


def test_overview_shows_the_demo_program(page: Page, screenshot_dir: Path) -> None:
    page.goto("/")
    expect(page).to_have_url("/program")
    expect(page.locator("h1")).to_have_count(1)
    expect(page.get_by_role("heading", name="People", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="PGY-1 (12)")).to_be_visible()
    expect(page.get_by_role("heading", name="Rotations", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Coverage rules")).to_be_visible()
    expect(page.get_by_role("cell", name="in-house call").first).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "overview.png"), full_page=True)


def test_keyboard_reaches_the_navigation_with_visible_focus(page: Page) -> None:
    page.goto("/program")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_text("Skip to main content")
    expect(skip).to_be_in_viewport()
    _assert_focus_visible(skip)

    page.keyboard.press("Tab")  # the brand link
    nav = page.get_by_role("navigation", name="Main")
    for label in ("Today", "Schedule", "Block plan", "Program"):
        page.keyboard.press("Tab")
        focused = page.locator(":focus")
        expect(focused).to_have_text(label)
        assert focused.evaluate("e => e.closest('nav') !== null")
        _assert_focus_visible(focused)
    expect(nav.get_by_role("link", name="Program")).to_have_attribute("aria-current", "page")

    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url("/plan")
    expect(page.locator("h1")).to_have_text("Block plan")


def test_plan_grid_and_htmx_pgy_filter(page: Page, screenshot_dir: Path) -> None:
    page.goto("/plan")
    expect(page.locator("h1")).to_have_text("Block plan")
    grid = page.locator("table.plan")
    expect(grid.locator("thead th")).to_have_count(14)
    expect(grid.locator("thead th").nth(1)).to_contain_text("Block 1")
    expect(grid.locator("th[scope=rowgroup]")).to_have_text(
        ["PGY-1 (12 residents)", "PGY-2 (12 residents)", "PGY-3 (12 residents)"]
    )
    first_cell = grid.locator("td.cell").first
    expect(first_cell).not_to_have_text("")
    colour = first_cell.evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent"), "cells are coloured by rotation"
    page.screenshot(path=str(screenshot_dir / "plan.png"), full_page=True)

    page.evaluate("window.__notReloaded = true")
    page.get_by_label("PGY level").select_option("2")
    expect(page).to_have_url("/plan?year=2026-27&pgy=2")
    expect(grid.locator("th[scope=rowgroup]")).to_have_text(["PGY-2 (12 residents)"])
    assert page.evaluate("window.__notReloaded === true"), "htmx swapped the grid in place"


def test_signing_in_and_out(browser: Browser, base_url: str) -> None:
    # Its own session, so that signing out does not end the one the other tests share.
    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    errors: list[str] = []  # a CSP violation is reported as a console error
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        page.goto("/plan")
        expect(page).to_have_url("/login?next=%2Fplan")
        page.get_by_label("Username").fill(USERNAME)
        page.get_by_label("Password").fill("not-the-password")
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("alert")).to_contain_text("wrong")
        expect(page.get_by_label("Username")).to_have_attribute("aria-invalid", "true")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page).to_have_url("/plan")
        account = page.get_by_role("navigation", name="Account")
        expect(account).to_contain_text(f"Signed in as {USERNAME} (coordinator)")
        account.get_by_role("button", name="Sign out").click()
        expect(page).to_have_url("/login?notice=signed-out")
        expect(page.get_by_role("status")).to_have_text("You are signed out.")
        page.goto("/plan")
        expect(page).to_have_url("/login?next=%2Fplan")
    finally:
        context.close()
    assert not [e for e in errors if "401" not in e], errors
