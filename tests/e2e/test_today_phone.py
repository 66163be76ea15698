"""The Today page on a 390 px phone: a coordinator signs in and lands on it (a published
schedule exists), sees who is on now with a call link and what needs attention, and nothing is
wider than the screen.

The page reads the wall clock (the server's own), so the shifts are written around the
current date in the demo's zone: a call from yesterday morning, a night from yesterday evening
and a call from this morning, so that someone is on now whatever the hour. The assertions name
no time. This server has its own database: publishing there would change the landing page of
the other browser tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select, update

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
from tests.e2e.conftest import PASSWORD, PATIENCE_MS, PHONE, create_user, run_resched, serve

pytestmark = pytest.mark.e2e
COORDINATOR = "e2e.today"
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def _publish_shifts_around_now(database_url: str) -> None:
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
                label="Today's browser test",
                published_at=dt.datetime.now(dt.UTC),
            )
            session.add(version)
            session.flush()
            # .all(): a Result has keys(), so dict() would read it as a mapping.
            shifts = dict(session.execute(select(ShiftTypeRow.code, ShiftTypeRow.id)).all())
            residents = session.scalars(
                select(PersonRow.id).where(PersonRow.role == Role.RESIDENT).order_by(PersonRow.id)
            ).all()
            yesterday = today - dt.timedelta(days=1)
            for person, day, code in (
                (residents[0], yesterday, "CALL"),
                (residents[1], yesterday, "NIGHT"),
                (residents[2], today, "CALL"),
                (residents[3], today, "WARD"),
            ):
                session.add(
                    ShiftAssignmentRow(
                        version_id=version.id, person_id=person, day=day, shift_type_id=shifts[code]
                    )
                )
            session.execute(
                update(PersonRow)
                .where(PersonRow.id.in_(residents[:4]))
                .values(phone="+1 (312) 555-0100", pager="4-1234")
            )
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def published_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    directory = tmp_path_factory.mktemp("today")
    url = f"sqlite:///{directory / 'resched.db'}"
    run_resched("db", "upgrade", "--database-url", url)
    run_resched("demo", "--database-url", url)
    _publish_shifts_around_now(url)
    create_user(url, COORDINATOR, "coordinator")
    with serve(url, directory / "server.log") as base_url:
        yield base_url


@pytest.fixture
def phone(browser: Browser, published_server: str) -> Iterator[Page]:
    context = browser.new_context(base_url=published_server, viewport=PHONE)  # type: ignore[arg-type]
    context.set_default_timeout(PATIENCE_MS)
    yield context.new_page()
    context.close()


def test_a_coordinator_lands_on_today_on_a_phone(phone: Page, screenshot_dir: Path) -> None:
    phone.goto("/")
    phone.get_by_label("Username").fill(COORDINATOR)
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    expect(phone).to_have_url("/today")
    expect(phone.locator("h1")).to_have_text("Today")
    expect(phone.get_by_text("All times are in America/Chicago")).to_be_visible()
    nav = phone.get_by_role("navigation", name="Main").get_by_role("link")
    expect(nav.first).to_have_text("Today")
    on_now = phone.locator("section", has=phone.get_by_role("heading", name="On now", exact=True))
    call = on_now.get_by_role("link", name="Call ").first
    expect(call).to_be_visible()
    assert (call.get_attribute("href") or "").startswith("tel:+1312555")
    box = call.bounding_box()
    assert box is not None
    assert box["height"] >= 40  # a thumb's target
    needs = phone.locator("section", has=phone.get_by_role("heading", name="Needs attention"))
    expect(needs.get_by_role("link", name="open request")).to_be_visible()
    expect(needs).to_contain_text("coverage gap")
    assert phone.evaluate(OVERFLOW) <= 0
    phone.screenshot(path=str(screenshot_dir / "today-phone.png"), full_page=True)
