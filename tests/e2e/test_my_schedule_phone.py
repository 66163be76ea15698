"""My schedule on a 390 px phone: a resident linked to a demo resident signs in, opens My
schedule from the navigation, sees today's call in the list, the month calendar with today
marked and the codes explained, their hours, steps to the next month, and nothing is wider
than the screen.

The page reads the wall clock (the server's own), so the shifts are written around the current
date in the demo's zone. This server has its own database: publishing there would change the
landing page of the other browser tests.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from resched.core.model import Role, ScheduleStatus
from resched.db.session import create_engine_for, make_session_factory
from resched.db.tables import (
    AcademicYearRow,
    PersonRow,
    ProgramRow,
    ScheduleVersionRow,
    ShiftAssignmentRow,
    ShiftTypeRow,
)
from tests.e2e.conftest import PASSWORD, PATIENCE_MS, PHONE, run_resched, serve

pytestmark = pytest.mark.e2e
RESIDENT = "e2e.me"
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def _publish_my_shifts(database_url: str) -> str:
    """A published version with the first resident's call today, a ward day tomorrow and a
    night in three days; the resident's code."""
    engine = create_engine_for(database_url)
    try:
        with make_session_factory(engine)() as session, session.begin():
            zone = ZoneInfo(session.scalars(select(ProgramRow.timezone)).one())
            today = dt.datetime.now(zone).date()
            year = session.scalars(select(AcademicYearRow)).first()
            assert year is not None
            version = ScheduleVersionRow(
                academic_year_id=year.id,
                status=ScheduleStatus.PUBLISHED,
                label="My schedule's browser test",
                published_at=dt.datetime.now(dt.UTC),
            )
            session.add(version)
            session.flush()
            shifts = dict(session.execute(select(ShiftTypeRow.code, ShiftTypeRow.id)).all())
            person = session.scalars(
                select(PersonRow).where(PersonRow.role == Role.RESIDENT).order_by(PersonRow.id)
            ).first()
            assert person is not None
            for offset, code in ((0, "CALL"), (1, "WARD"), (3, "NIGHT")):
                session.add(
                    ShiftAssignmentRow(
                        version_id=version.id,
                        person_id=person.id,
                        day=today + dt.timedelta(days=offset),
                        shift_type_id=shifts[code],
                    )
                )
            return person.code
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def published_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    directory = tmp_path_factory.mktemp("my-schedule")
    url = f"sqlite:///{directory / 'resched.db'}"
    run_resched("db", "upgrade", "--database-url", url)
    run_resched("demo", "--database-url", url)
    code = _publish_my_shifts(url)
    run_resched(
        *("user", "create", "--username", RESIDENT, "--role", "resident", "--person", code),
        *("--password-stdin", "--database-url", url),
        stdin=PASSWORD + "\n",
    )
    with serve(url, directory / "server.log") as base_url:
        yield base_url


@pytest.fixture
def phone(browser: Browser, published_server: str) -> Iterator[Page]:
    context = browser.new_context(base_url=published_server, viewport=PHONE)  # type: ignore[arg-type]
    context.set_default_timeout(PATIENCE_MS)
    yield context.new_page()
    context.close()


def test_a_resident_reads_their_schedule_on_a_phone(phone: Page, screenshot_dir: Path) -> None:
    phone.goto("/login")
    phone.get_by_label("Username").fill(RESIDENT)
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    expect(phone).to_have_url("/today")
    nav = phone.get_by_role("navigation", name="Main").get_by_role("link")
    expect(nav.nth(1)).to_have_text("My schedule")
    nav.nth(1).click()
    expect(phone).to_have_url("/me")
    expect(phone.locator("h1")).to_have_text("My schedule")
    expect(phone.get_by_text("All times are in America/Chicago")).to_be_visible()
    upcoming = phone.locator("section", has=phone.get_by_role("heading", name="Next two weeks"))
    expect(upcoming.locator("li.my-day").first).to_contain_text("CALL")
    expect(upcoming.locator("li.my-day").first).to_contain_text("today")
    hours = phone.locator("section", has=phone.get_by_role("heading", name="Hours"))
    expect(hours).to_contain_text("Four-week average")
    month = phone.locator("table.my-month")
    expect(month.locator("td.is-today")).to_contain_text("CALL")
    expect(phone.get_by_role("heading", name="What the codes mean")).to_be_visible()
    # The whole month fits: the table is no wider than the screen.
    box = month.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"]
    assert phone.evaluate(OVERFLOW) <= 0
    phone.screenshot(path=str(screenshot_dir / "my-schedule-phone.png"), full_page=True)

    phone.locator("a[rel=next]").click()
    expect(phone).to_have_url(re.compile(r"/me\?month=\d{4}-\d{2}$"))
    expect(phone.get_by_role("link", name="This month")).to_be_visible()
    assert phone.evaluate(OVERFLOW) <= 0
