"""Changing one cell of the Block plan on a 390 px phone, with the keyboard: the cell's form
opens above the grid (htmx), a change of rotation is checked at once in words, and the change
is saved with the page's own form."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.published import OVERFLOW

pytestmark = pytest.mark.e2e

# Whatever the sample plan makes of the change, the check answers in one of these words.
WORDS = re.compile(r"This change breaks no rule|What this change (breaks|mends)|Still broken")


def test_a_cell_is_changed_on_a_phone(phone: Page, screenshot_dir: Path) -> None:
    phone.goto("/plan")
    expect(phone.locator("h1")).to_have_text("Block plan")
    link = phone.locator("table.plan a.cell-link").nth(1)  # the first resident's block 2
    link.focus()
    phone.keyboard.press("Enter")
    editor = phone.locator("#cell-editor")
    expect(editor.get_by_role("heading", level=2)).to_contain_text("Block 2 of ")
    expect(phone).to_have_url("/plan")  # the form came into the page, not a new one
    rotation = editor.get_by_label("Rotation")
    expect(rotation).to_be_focused()
    current = rotation.input_value()
    other = next(
        value
        for value in rotation.locator("option").evaluate_all("os => os.map(o => o.value)")
        if value and value != current
    )
    rotation.select_option(other)
    findings = editor.locator("#cell-findings")
    expect(findings).to_contain_text(WORDS)
    assert phone.evaluate(OVERFLOW) <= 0
    phone.screenshot(path=str(screenshot_dir / "plan-cell-phone.png"), full_page=True)
    anyway = editor.get_by_label("Save anyway: I have read what this change breaks")
    if anyway.count():
        anyway.check()
    editor.get_by_role("button", name="Save").click()
    expect(phone.get_by_role("status")).to_have_text("The cell was saved.")
    assert phone.evaluate(OVERFLOW) <= 0
