"""A swap from offer to approval on 390 px phones: resident A offers a ward day from My
schedule to resident B, B accepts it on the swap board, the program does not auto-approve so a
coordinator approves it in the queue, and A's My schedule no longer shows the shift (B's does).

The pages read the wall clock, so the shift is written around the current date in the demo's
zone (twelve days ahead: outside the freeze horizon, inside My schedule's two weeks). This
server has its own database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select, update

from resched.core.model import Role
from resched.db.tables import PersonRow, ProgramRow, ShiftAssignmentRow
from tests.e2e.conftest import PASSWORD, PHONE, run_resched
from tests.e2e.published import OVERFLOW, demo_server, fresh_page, publishing

pytestmark = pytest.mark.e2e
GIVER, TAKER, COORDINATOR = "e2e.swap.a", "e2e.swap.b", "e2e.swap.coord"
AHEAD = 12
NAMES: dict[str, str] = {}


def _publish(database_url: str) -> None:
    with publishing(database_url, "Swap board's browser test") as published:
        session = published.session
        a, b = session.scalars(
            select(PersonRow).where(PersonRow.role == Role.RESIDENT).order_by(PersonRow.id)
        ).all()[:2]
        session.add(
            ShiftAssignmentRow(
                version_id=published.version_id,
                person_id=a.id,
                day=published.today + dt.timedelta(days=AHEAD),
                shift_type_id=published.shift_ids["WARD"],
            )
        )
        session.execute(update(ProgramRow).values(auto_approve_changes=False))
        people = {GIVER: a.code, TAKER: b.code}
        NAMES.update({GIVER: a.name, TAKER: b.name})
    for username, role in ((GIVER, "resident"), (TAKER, "resident"), (COORDINATOR, "coordinator")):
        person = ("--person", people[username]) if username in people else ()
        run_resched(
            *("user", "create", "--username", username, "--role", role, *person),
            *("--password-stdin", "--database-url", database_url),
            stdin=PASSWORD + "\n",
        )


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with demo_server(tmp_path_factory.mktemp("swaps"), _publish) as base_url:
        yield base_url


@contextmanager
def _signed_in(browser: Browser, server: str, username: str) -> Iterator[Page]:
    with fresh_page(browser, server, PHONE) as page:
        page.goto("/login")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page).to_have_url("/today")
        yield page


def _offer_links(page: Page) -> int:
    page.goto("/me")
    return page.locator("a.my-offer", has_text="WARD").count()


def test_a_swap_from_offer_to_approval(browser: Browser, server: str) -> None:
    with _signed_in(browser, server, GIVER) as giver:
        assert _offer_links(giver) == 1
        giver.locator("a.my-offer", has_text="WARD").click()
        expect(giver.locator("h1")).to_have_text("Offer a shift")
        giver.get_by_label("What you offer").select_option("giveaway")
        giver.get_by_label("To", exact=True).select_option(label=NAMES[TAKER])
        assert giver.evaluate(OVERFLOW) <= 0
        giver.get_by_role("button", name="Offer").click()
        expect(giver.get_by_role("status")).to_have_text("Your offer is on the board.")

    with _signed_in(browser, server, TAKER) as taker:
        taker.get_by_role("navigation", name="Main").get_by_role("link", name="Swaps").click()
        offered = taker.locator("section", has=taker.get_by_role("heading", name="Offered to you"))
        expect(offered).to_contain_text(NAMES[GIVER])
        assert taker.evaluate(OVERFLOW) <= 0
        offered.get_by_role("button", name="Accept").click()
        expect(taker.get_by_role("status")).to_contain_text("a coordinator approves it next")

    with _signed_in(browser, server, COORDINATOR) as coordinator:
        coordinator.goto("/swaps")
        queue = coordinator.locator(
            "section", has=coordinator.get_by_role("heading", name="Waiting for approval (1)")
        )
        expect(queue).to_contain_text(NAMES[TAKER])
        assert coordinator.evaluate(OVERFLOW) <= 0
        queue.get_by_role("button", name="Approve").click()
        expect(coordinator.get_by_role("status")).to_have_text("Done: the schedule changed.")

    with _signed_in(browser, server, GIVER) as giver:
        assert _offer_links(giver) == 0
    with _signed_in(browser, server, TAKER) as taker:
        assert _offer_links(taker) == 1
