"""The Contingency page with a report on a 390 px phone: axe-core finds no serious or
critical violation, the page never scrolls sideways, and the wide margin heatmap scrolls in its
own box with the day column staying put; the suggested backups carry their "Add as backup"
forms (with the override on frozen days).

The demo with a published week of shifts from the server's today (a CALL a day for four
residents in turn, a WARD day for four others) and a contingency analysis of that week, run
in this process before the server starts. The assertions name no date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from resched.core.model import Role
from resched.db.session import create_engine_for, make_session_factory
from resched.db.tables import PersonRow, ShiftAssignmentRow
from resched.services.jobs import submit_job
from tests.contingency_data import add_pair_pool
from tests.e2e.conftest import PASSWORD, PATIENCE_MS, PHONE, create_user
from tests.e2e.published import demo_server, publishing
from tests.e2e.test_axe import AXE, AXE_TAGS, BLOCKING, LAYOUT, RUN_AXE
from tests.job_helpers import RecordingQueue, inline_runtime, work_off

pytestmark = pytest.mark.e2e
COORDINATOR = "e2e.contingency"
DAYS = 7


def _publish_and_analyse(database_url: str) -> None:
    with publishing(database_url, "Contingency browser test") as published:
        session, today = published.session, published.today
        version_id = published.version_id
        residents = session.scalars(
            select(PersonRow.id).where(PersonRow.role == Role.RESIDENT).order_by(PersonRow.id)
        ).all()
        for offset in range(DAYS):
            day = today + dt.timedelta(days=offset)
            for person, code in (
                (residents[offset % 4], "CALL"),
                (residents[4 + offset % 4], "WARD"),
            ):
                session.add(
                    ShiftAssignmentRow(
                        version_id=version_id,
                        person_id=person,
                        day=day,
                        shift_type_id=published.shift_ids[code],
                    )
                )
    engine = create_engine_for(database_url)
    try:
        factory = make_session_factory(engine)
        add_pair_pool(factory, version_id, today)  # a pool whose losses need backups
        queue = RecordingQueue()
        end = today + dt.timedelta(days=DAYS - 1)
        submit_job(
            factory=factory,
            queue=queue,
            kind="contingency",
            parameters={
                "version_id": version_id,
                "start": today.isoformat(),
                "end": end.isoformat(),
            },
            actor=None,
            requested_by=None,
        )
        assert work_off(inline_runtime(database_url, factory), queue) == ["succeeded"]
    finally:
        engine.dispose()
    create_user(database_url, COORDINATOR, "coordinator")


@pytest.fixture(scope="module")
def analysed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with demo_server(tmp_path_factory.mktemp("contingency"), _publish_and_analyse) as base_url:
        yield base_url


@pytest.fixture
def phone(browser: Browser, analysed_server: str) -> Iterator[Page]:
    context = browser.new_context(base_url=analysed_server, viewport=PHONE)  # type: ignore[arg-type]
    context.set_default_timeout(PATIENCE_MS)
    context.add_init_script(path=AXE)
    try:
        yield context.new_page()
    finally:
        context.close()


def test_the_report_passes_axe_and_fits_a_phone(phone: Page, screenshot_dir: Path) -> None:
    phone.goto("/login")
    phone.get_by_label("Username").fill(COORDINATOR)
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    expect(phone).not_to_have_url("/login")
    phone.goto("/contingency")
    expect(phone.locator("h1")).to_have_text("Contingency")
    grid = phone.get_by_role("region", name="Margin by day and requirement")
    expect(grid).to_be_visible()
    expect(grid.locator("tbody tr")).to_have_count(DAYS)
    # The heatmap is wider than the phone: it scrolls inside its box, the days stay put.
    assert grid.evaluate("box => box.scrollWidth > box.clientWidth")
    # The PAIR pool's suggested backups, each with its one-step form; today is frozen, so
    # each form asks for the override reason (coverage gap chosen).
    forms = phone.locator("form.backup-add")
    expect(forms).to_have_count(2 * DAYS)
    expect(forms.first.get_by_role("button")).to_contain_text("Add as backup")
    expect(forms.first.get_by_label("Override reason (frozen day)")).to_have_value("coverage_gap")
    assert phone.evaluate(LAYOUT) == []
    blocking = [
        f"{v['rule']} ({v['impact']}): {'; '.join(v['targets'])}"
        for v in phone.evaluate(RUN_AXE, AXE_TAGS)
        if v["impact"] in BLOCKING
    ]
    assert blocking == []
    phone.screenshot(path=str(screenshot_dir / "contingency-phone.png"), full_page=True)
