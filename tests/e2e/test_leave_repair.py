"""A leave request with its repair, in a browser, against a real server and worker: a
resident requests leave on My schedule for a day they are on call; the coordinator proposes a
repair on the Leave queue (the card follows the job), approves with it; the resident's call
is gone and a colleague holds it. On the tiny program of tests/generation_data.py (its repair
solves in well under a second), with a week of calls published two weeks from the wall
clock's today (outside the freeze horizon)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page, expect

from resched.core.model import ScheduleStatus
from resched.db.repositories.schedule import ShiftAssignmentRepository
from resched.db.session import create_engine_for, make_session_factory
from resched.services.generation import GenerationKind, GenerationRequest, make_spec
from resched.services.generation.publish import publish_version
from resched.services.generation.run import run_generation
from tests.accounts import PASSWORD, add_user
from tests.e2e.conftest import PATIENCE_MS, job_worker, run_resched, serve
from tests.generation_data import FAST, store_tiny, store_version

PHONE = {"width": 390, "height": 844}
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


@dataclass(frozen=True)
class Served:
    base_url: str
    database_url: str
    day: dt.date  # the resident's call day, the day of leave
    resident: int  # their person id
    published: int  # the published version


def _publish_week(database_url: str) -> tuple[dt.date, int, int]:
    engine = create_engine_for(database_url)
    try:
        factory = make_session_factory(engine)
        tiny = store_tiny(factory)
        store_version(factory, tiny, status=ScheduleStatus.PUBLISHED)
        today = dt.date.today()
        monday = today + dt.timedelta(days=14 + (7 - today.weekday()) % 7)
        spec = make_spec(
            factory=factory,
            request=GenerationRequest(
                GenerationKind.SHIFTS, FAST, start=monday, end=monday + dt.timedelta(days=6)
            ),
        )
        outcome = run_generation(factory=factory, spec=spec, actor=None)
        assert outcome.version_id is not None, outcome.message
        publish_version(factory=factory, version_id=outcome.version_id, actor="chief")
        day = monday + dt.timedelta(days=2)
        with factory() as session:
            rows = ShiftAssignmentRepository(session).between([outcome.version_id], day, day)
        (on_call,) = [a.person_id for _, a in rows if a.shift_code == "CALL"]
        add_user(factory, "resident", username="leave.resident", person_id=on_call)
        add_user(factory, "coordinator", username="leave.coordinator")
        return day, on_call, outcome.version_id
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    directory = tmp_path_factory.mktemp("leave")
    url = f"sqlite:///{directory / 'resched.db'}"
    run_resched("db", "upgrade", "--database-url", url)
    day, resident, version = _publish_week(url)
    with (
        job_worker(url, directory),
        serve(url, directory / "server.log", workdir=directory) as base_url,
    ):
        yield Served(base_url, url, day, resident, version)


def _signed_in(browser: Browser, served: Served, username: str) -> Page:
    context = browser.new_context(base_url=served.base_url, viewport=PHONE)  # type: ignore[arg-type]
    context.set_default_timeout(PATIENCE_MS)
    page = context.new_page()
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    return page


def _calls(served: Served) -> set[int]:
    engine = create_engine_for(served.database_url)
    try:
        with make_session_factory(engine)() as session:
            rows = ShiftAssignmentRepository(session).between(
                [served.published], served.day, served.day
            )
        return {a.person_id for _, a in rows if a.shift_code == "CALL"}
    finally:
        engine.dispose()


def test_a_leave_request_is_repaired_and_approved(browser: Browser, served: Served) -> None:
    assert served.resident in _calls(served)
    resident = _signed_in(browser, served, "leave.resident")
    resident.goto("/me")
    resident.get_by_label("From").fill(served.day.isoformat())
    resident.get_by_label("To", exact=True).fill(served.day.isoformat())
    resident.get_by_label("Note").fill("a wedding")
    resident.get_by_role("button", name="Request leave").click()
    expect(resident.get_by_text("Your leave request was sent")).to_be_visible()
    assert resident.evaluate(OVERFLOW) <= 0

    coordinator = _signed_in(browser, served, "leave.coordinator")
    coordinator.goto("/leave")
    card = coordinator.locator("article.leave-card")
    expect(card.get_by_text("CALL").first).to_be_visible()
    assert coordinator.evaluate(OVERFLOW) <= 0
    card.get_by_role("button", name="Propose repair").click()
    # The card follows the job and, once it has a repair, offers it.
    approve = coordinator.get_by_role("button", name="Approve with this repair")
    expect(approve).to_be_visible()
    expect(coordinator.locator("article.leave-card").get_by_text("takes").first).to_be_visible()
    approve.click()
    expect(coordinator.get_by_text("The leave was approved.")).to_be_visible()

    calls = _calls(served)
    assert served.resident not in calls
    assert len(calls) == 1  # a colleague holds the call
    resident.goto("/me")
    expect(resident.locator("#my-leave").get_by_text("approved")).to_be_visible()
