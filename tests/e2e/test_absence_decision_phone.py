"""Approve and Deny on the Absences list, on a 390 px phone, go through the leave decision: a
resident who still holds a published ward shift on the day they asked for is not approved
without a reason - the row says why in place (an htmx answer of 422 swapped in, not the
generic failure message), keeps the page's width and links to the Leave queue's repair - and is
approved once the coordinator types one. A second request is denied only with a reason.

The shift is written around the current date in the demo's zone (twelve days ahead). This
server has its own database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from resched.core.model import AbsenceStatus, AbsenceType, Role
from resched.db.tables import AbsenceRow, PersonRow, ShiftAssignmentRow
from tests.e2e.conftest import PASSWORD, PHONE, run_resched
from tests.e2e.published import OVERFLOW, demo_server, fresh_page, publishing

pytestmark = pytest.mark.e2e
COORDINATOR = "e2e.decide.coord"
AHEAD = 12
ROWS: list[str] = []  # the two requests' row ids: held shift, no shift


def _publish(database_url: str) -> None:
    """A ward shift for the first resident on a day they (and the second) asked off."""
    with publishing(database_url, "Absence decisions' browser test") as published:
        session = published.session
        held, free = session.scalars(
            select(PersonRow).where(PersonRow.role == Role.RESIDENT).order_by(PersonRow.id)
        ).all()[:2]
        day = published.today + dt.timedelta(days=AHEAD)
        session.add(
            ShiftAssignmentRow(
                version_id=published.version_id,
                person_id=held.id,
                day=day,
                shift_type_id=published.shift_ids["WARD"],
            )
        )
        for person in (held, free):
            request = AbsenceRow(
                person_id=person.id,
                start_date=day,
                end_date=day,
                type=AbsenceType.VACATION,
                status=AbsenceStatus.REQUESTED,
            )
            session.add(request)
            session.flush()
            ROWS.append(f"#absence-{request.id}")
    run_resched(
        *("user", "create", "--username", COORDINATOR, "--role", "coordinator"),
        *("--password-stdin", "--database-url", database_url),
        stdin=PASSWORD + "\n",
    )


@pytest.fixture(scope="module")
def coordinator(tmp_path_factory: pytest.TempPathFactory, browser: Browser) -> Iterator[Page]:
    with (
        demo_server(tmp_path_factory.mktemp("decisions"), _publish) as base_url,
        fresh_page(browser, base_url, PHONE) as page,
    ):
        page.goto("/login")
        page.get_by_label("Username").fill(COORDINATOR)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page).to_have_url("/today")
        yield page


def test_approving_over_a_held_shift_needs_a_reason(
    coordinator: Page, screenshot_dir: Path
) -> None:
    page = coordinator
    page.goto("/absences?status=requested")
    row = page.locator(ROWS[0])
    expect(row).to_contain_text("Requested")

    row.get_by_role("button", name="Approve").click()

    refusal = row.get_by_role("alert")
    expect(refusal).to_contain_text("still holds shifts on these days")
    expect(refusal.get_by_role("link", name="Propose a repair on the Leave page")).to_be_visible()
    expect(page.locator(".request-failure")).to_have_count(0)  # the row said it, in place
    expect(row).to_contain_text("Requested")
    assert page.evaluate(OVERFLOW) <= 0
    row.screenshot(path=str(screenshot_dir / "absence-refused-phone.png"))

    row.get_by_label("Reason").fill("Ward covered by the chief resident")
    row.get_by_role("button", name="Approve").click()

    expect(row).to_contain_text("Approved")
    expect(row.get_by_role("button", name="Approve")).to_have_count(0)
    expect(row.get_by_role("alert")).to_have_count(0)


def test_denying_needs_a_reason(coordinator: Page) -> None:
    page = coordinator
    page.goto("/absences?status=requested")
    row = page.locator(ROWS[1])

    row.get_by_role("button", name="Deny").click()

    expect(row.get_by_role("alert")).to_contain_text("Give a reason.")
    expect(row.get_by_label("Reason")).to_have_attribute("aria-invalid", "true")
    row.get_by_label("Reason").fill("Two residents away that week")
    row.get_by_role("button", name="Deny").click()
    expect(row).to_contain_text("Denied")
    assert page.evaluate(OVERFLOW) <= 0
