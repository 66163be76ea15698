"""A coordinator changes a published day on a 390 px phone: the day view's "Change" link opens
the edit panel in the page (htmx), "Check" says in words what the change does and who could
take the cleared shift, "Give to ..." hands it over, "Save" returns to the view with a notice
and an Undo button, and Undo puts it back (the history says so).

The shifts are written two weeks after the server's today (outside the 7-day freeze horizon),
on a server of its own: publishing in the shared database would change other browser tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from resched.core.model import Role
from resched.db.tables import PersonRow, ShiftAssignmentRow
from tests.e2e.conftest import PASSWORD, PATIENCE_MS, PHONE, create_user
from tests.e2e.published import OVERFLOW, demo_server, publishing
from tests.e2e.test_axe import AXE, AXE_TAGS, BLOCKING, RUN_AXE

pytestmark = pytest.mark.e2e
COORDINATOR = "e2e.editor"
AHEAD = dt.timedelta(days=14)


def _publish_a_day(database_url: str, days: list[dt.date]) -> None:
    """Two residents on WARD two weeks after the server's today (in the program's zone: the
    browser's or the test machine's date can already be the next day)."""
    with publishing(database_url, "Edit browser test") as published:
        session = published.session
        people = session.execute(select(PersonRow.id, PersonRow.role).order_by(PersonRow.id))
        residents = [pid for pid, role in people if role is Role.RESIDENT]
        day = published.today + AHEAD
        days.append(day)
        session.add_all(
            ShiftAssignmentRow(
                version_id=published.version_id,
                person_id=p,
                day=day,
                shift_type_id=published.shift_ids["WARD"],
            )
            for p in residents[:2]
        )
    create_user(database_url, COORDINATOR, "coordinator")


@dataclass(frozen=True, slots=True)
class EditServer:
    base_url: str
    day: dt.date  # the day with the two WARD shifts


@pytest.fixture(scope="module")
def edit_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EditServer]:
    days: list[dt.date] = []
    directory = tmp_path_factory.mktemp("edit")
    with demo_server(directory, lambda url: _publish_a_day(url, days)) as base_url:
        yield EditServer(base_url, days[0])


@pytest.fixture
def phone_page(browser: Browser, edit_server: EditServer) -> Iterator[Page]:
    context = browser.new_context(base_url=edit_server.base_url, viewport=PHONE)  # type: ignore[arg-type]
    context.set_default_timeout(PATIENCE_MS)
    context.add_init_script(path=AXE)
    page = context.new_page()
    page.goto("/login?next=/schedule")
    page.get_by_label("Username").fill(COORDINATOR)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("Schedule")
    yield page
    context.close()


def _blocking(page: Page) -> list[str]:
    """axe's serious and critical findings on the page as it is now (the panel included)."""
    found = page.evaluate(RUN_AXE, AXE_TAGS)
    return [f"{f['rule']}: {f['targets']}" for f in found if f["impact"] in BLOCKING]


def test_a_day_is_changed_checked_saved_and_undone(
    phone_page: Page, edit_server: EditServer, screenshot_dir: Path
) -> None:
    page = phone_page
    target = edit_server.day.isoformat()
    page.goto(f"/schedule?view=day&date={target}")
    page.locator(".agenda-people a[href^='/schedule/edit']").first.click()
    editor = page.locator("#shift-editor")
    expect(editor.get_by_role("heading", level=2)).to_be_visible()
    expect(page).to_have_url(f"/schedule?view=day&date={target}")  # the panel came in place
    editor.locator("input[name=clear]").first.check()
    editor.get_by_role("button", name="Check").click()
    expect(editor).to_contain_text("What this change does")
    give = editor.get_by_role("button", name="Give to")
    expect(give.first).to_be_visible()
    taker = give.first.inner_text().removeprefix("Give to ").strip()
    give.first.click()
    expect(editor.get_by_label("Give the cleared shifts to")).not_to_have_value("")
    assert page.evaluate(OVERFLOW) <= 0
    assert _blocking(page) == []
    page.screenshot(path=str(screenshot_dir / "schedule-edit-phone.png"), full_page=True)
    editor.get_by_role("button", name="Save").click()
    notice = page.get_by_role("status").filter(has_text="The change was saved")
    expect(notice).to_be_visible()
    expect(page.locator(".agenda-people").first).to_contain_text(taker)
    notice.get_by_role("button", name="Undo").click()
    expect(page.get_by_role("status")).to_have_text("The change was undone.")
    expect(page.locator(".change-list")).to_contain_text("Undoes change")
    assert page.evaluate(OVERFLOW) <= 0
    assert _blocking(page) == []


def test_a_grid_cell_opens_its_panel_in_the_page(browser: Browser, edit_server: EditServer) -> None:
    context = browser.new_context(
        base_url=edit_server.base_url, viewport={"width": 1280, "height": 900}
    )  # type: ignore[arg-type]
    context.set_default_timeout(PATIENCE_MS)
    page = context.new_page()
    try:
        page.goto("/login?next=/schedule")
        page.get_by_label("Username").fill(COORDINATOR)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        week = f"/schedule?view=week&date={edit_server.day.isoformat()}"
        page.goto(week)
        page.locator("table.schedule-grid a.cell-link", has_text="WARD").first.click()
        editor = page.locator("#shift-editor")
        expect(editor.get_by_role("heading", level=2)).to_be_visible()
        expect(editor.locator("input[name=clear]")).to_have_count(1)
        expect(page).to_have_url(week)  # in place: no navigation, no history entry
    finally:
        context.close()
