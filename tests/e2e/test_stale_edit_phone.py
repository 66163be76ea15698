"""Two coordinators edit the same person at once, one at a desk and one on a 390 px phone: the
desk saves first; the phone's save is refused with the current version shown and what was
typed kept, fits the screen, passes axe, and saving again from there replaces it knowingly.

On a server of its own: renaming a demo resident in the shared database would change the
other browser tests' pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from resched.core.model import Role
from resched.db.session import create_engine_for, make_session_factory
from resched.db.tables import PersonRow
from tests.e2e.conftest import DESKTOP, PASSWORD, PATIENCE_MS, PHONE, create_user
from tests.e2e.published import OVERFLOW, demo_server
from tests.e2e.test_axe import AXE, AXE_TAGS, BLOCKING, RUN_AXE

pytestmark = pytest.mark.e2e
COORDINATOR = "e2e.stale"


def _first_resident(database_url: str) -> int:
    engine = create_engine_for(database_url)
    try:
        with make_session_factory(engine)() as session:
            found: int | None = session.scalars(
                select(PersonRow.id).where(PersonRow.role == Role.RESIDENT).order_by(PersonRow.id)
            ).first()
            assert found is not None
            return found
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def stale_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    people: list[int] = []

    def prepare(url: str) -> None:
        create_user(url, COORDINATOR, "coordinator")
        people.append(_first_resident(url))

    with demo_server(tmp_path_factory.mktemp("stale"), prepare) as base_url:
        yield base_url, people[0]


def _signed_in(browser: Browser, base_url: str, viewport: dict[str, int], path: str) -> Page:
    context = browser.new_context(base_url=base_url, viewport=viewport)  # type: ignore[arg-type]
    context.set_default_timeout(PATIENCE_MS)
    context.add_init_script(path=AXE)
    page = context.new_page()
    page.goto(f"/login?next={path}")
    page.get_by_label("Username").fill(COORDINATOR)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_label("Name", exact=True)).to_be_visible()
    return page


def test_a_second_save_of_the_same_person_is_refused_on_a_phone(
    browser: Browser, stale_server: tuple[str, int], screenshot_dir: Path
) -> None:
    base_url, person_id = stale_server
    edit = f"/people/{person_id}/edit"
    desk = _signed_in(browser, base_url, DESKTOP, edit)
    phone = _signed_in(browser, base_url, PHONE, edit)
    try:
        desk.get_by_label("Name", exact=True).fill("Saved At The Desk")
        desk.get_by_role("button", name="Save changes").click()
        expect(desk.get_by_role("status")).to_have_text("The changes were saved.")

        phone.get_by_label("Name", exact=True).fill("Typed On The Phone")
        phone.get_by_role("button", name="Save changes").click()
        refusal = phone.locator("#stale-edit")
        expect(refusal).to_contain_text("Someone else changed this person")
        expect(refusal).to_contain_text("Saved At The Desk")  # the current version
        expect(phone.get_by_label("Name", exact=True)).to_have_value("Typed On The Phone")
        assert phone.evaluate(OVERFLOW) <= 0
        found = phone.evaluate(RUN_AXE, AXE_TAGS)
        assert [f"{f['rule']}: {f['targets']}" for f in found if f["impact"] in BLOCKING] == []
        phone.screenshot(path=str(screenshot_dir / "stale-edit-phone.png"), full_page=True)

        phone.get_by_role("button", name="Save changes").click()  # replaces it, knowingly
        expect(phone.get_by_role("status")).to_have_text("The changes were saved.")
        expect(phone.locator("h1")).to_have_text("Typed On The Phone")
    finally:
        desk.context.close()
        phone.context.close()
