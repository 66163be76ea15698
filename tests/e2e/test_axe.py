"""Every page, for every role, in Chromium on a 390 px phone: axe-core finds no serious or
critical violation (WCAG 2 A and AA, and axe's best practices), and the page never scrolls
sideways; a table wider than the screen scrolls inside its own ``.table-scroll`` box, its first
column (the names) staying put.

One server on its own database (the demo, a draft version, a queued generation run, and an
account of each role), one browser, one context a role: each role signs in once and visits
every page of tests/page_list.py that it may open. Each test reports every finding of its
role at once, page by page. axe-core is the vendored file tests/e2e/vendor/ (never served by
the app); it is added to each page as an init script, which the pages' strict CSP does not
block, so the pages are checked under the policy they really run with.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select, update

from resched.core.changes.kinds import NoticeKind
from resched.core.model import Role
from resched.db.migrate import upgrade_to_head
from resched.db.session import create_engine_for, make_session_factory
from resched.db.tables import (
    AbsenceRow,
    AcademicYearRow,
    CoverageRequirementRow,
    NotificationRow,
    PersonRow,
    RotationRow,
    ScheduleVersionRow,
    ShiftTypeRow,
    UserRole,
    UserRow,
)
from resched.db.types import utc_now
from resched.services.common import SessionFactory
from resched.services.demo import load_demo
from resched.services.generation import GenerationKind, GenerationRequest, Limits, make_spec
from resched.services.jobs.generations import get_generation_run, start_generation
from resched.services.notices import notify_users, queue_mail
from resched.services.permissions import Permission
from tests.accounts import PASSWORD, add_user
from tests.e2e.conftest import PATIENCE_MS, PHONE, serve
from tests.e2e.sample_plan import add_sample_plan
from tests.job_helpers import RecordingQueue, inline_runtime, work_off
from tests.page_list import Page as Listed
from tests.page_list import pages_for
from tests.solve_limits import SAFETY_S

pytestmark = pytest.mark.e2e

AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
# What axe checks: WCAG 2.0 and 2.1, levels A and AA, and its best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING = ("serious", "critical")
GENERATION_WORK = 0.5  # CP-SAT deterministic time: a plan in a second or two
# Every violation of a blocking impact: page, rule, impact, the elements (CSS selectors).
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],  // details of the violations only: much faster
  });
  return result.violations.map(v => ({
    rule: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map(n => n.target.join(" ")),
  }));
}"""
# Sideways scrolling: the page itself never; a .table-scroll box may, and then the first cell
# of each of its rows is sticky. Answers a list of problems, empty when the page is right.
LAYOUT = r"""() => {
  const problems = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth + 1) {
    const wide = [...document.body.querySelectorAll("*")].filter(e =>
      e.getBoundingClientRect().right > doc.clientWidth + 1 && !e.closest(".table-scroll"));
    // The innermost elements past the right edge: the likely culprits.
    const names = wide.slice(-3).map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
      + (e.className ? "." + String(e.className).trim().split(/\s+/).join(".") : ""));
    const sizes = `${doc.scrollWidth} px wide in ${doc.clientWidth} px`;
    problems.push(`scrolls sideways: ${sizes} (${names.join(", ")})`);
  }
  for (const box of document.querySelectorAll(".table-scroll")) {
    if (box.scrollWidth <= box.clientWidth + 1) continue;
    const name = box.getAttribute("aria-labelledby") || box.className;
    for (const row of box.querySelectorAll("tr")) {
      const first = row.cells[0];
      if (!first) continue;
      const text = first.textContent.trim().replace(/\s+/g, " ");
      if (getComputedStyle(first).position !== "sticky") {
        problems.push(`the wide table in ${name}: "${text}" scrolls away`);
        break;
      }
      // A names column that fills the box hides the columns scrolling under it.
      if (first.colSpan === 1 && first.getBoundingClientRect().width > box.clientWidth / 2) {
        problems.push(`the wide table in ${name}: "${text}" covers half the box`);
        break;
      }
    }
  }
  return problems;
}"""


def _records(database_url: str) -> dict[str, int]:
    """The demo's records the pages name: the sample draft version, a queued run (no worker
    runs it: the run page shows a job waiting), and a finished one with its draft."""
    engine = create_engine_for(database_url)
    factory = make_session_factory(engine)
    try:
        with factory() as session:

            def first(column: Any, *where: Any) -> int:
                found = session.scalars(select(column).where(*where).order_by(column)).first()
                assert found is not None, column
                return int(found)

            records = {
                "person": first(PersonRow.id, PersonRow.role == Role.RESIDENT),
                "version": first(ScheduleVersionRow.id),
                "year": first(AcademicYearRow.id),
                "coverage": first(CoverageRequirementRow.id),
                "rotation": first(RotationRow.id),
                "shift_type": first(ShiftTypeRow.id),
                "absence": first(AbsenceRow.id),
                "user": first(UserRow.id),
            }
        records["run"] = _generation(factory, queue=RecordingQueue())
        # A rotation plan generated to the end (a small, fixed amount of search work): its
        # run's result and its draft's review, findings and penalties included.
        queue = RecordingQueue()
        records["finished_run"] = _generation(factory, queue=queue)
        assert work_off(inline_runtime(database_url, factory), queue) == ["succeeded"]
        run = get_generation_run(factory=factory, run_id=records["finished_run"])
        assert run.outcome is not None, run
        assert run.outcome.version_id is not None, run.outcome
        records["generated"] = run.outcome.version_id
        return records
    finally:
        engine.dispose()


def _generation(factory: SessionFactory, *, queue: RecordingQueue) -> int:
    """A rotation plan's generation handed to ``queue``; its run's id."""
    limits = Limits(time_limit_s=SAFETY_S, work_limit=GENERATION_WORK)
    request = GenerationRequest(GenerationKind.PLAN, limits=limits, year=None)
    spec = make_spec(factory=factory, request=request)
    run = start_generation(factory=factory, queue=queue, spec=spec, actor=None, requested_by=None)
    return run.id


def _add_accounts(factory: SessionFactory) -> None:
    """An account of each role, named ``axe.<role>``; a resident's and a faculty member's
    linked to a demo person of theirs."""
    for role in UserRole:
        person = {UserRole.RESIDENT: Role.RESIDENT, UserRole.FACULTY: Role.FACULTY}.get(role)
        person_id = None
        if person is not None:
            with factory() as session:
                query = select(PersonRow.id).where(PersonRow.role == person)
                person_id = session.scalars(query.order_by(PersonRow.id)).first()
        user_id = add_user(factory, role, username=f"axe.{role.value}", person_id=person_id)
        _add_notices(factory, user_id)


def _add_notices(factory: SessionFactory, user_id: int) -> None:
    """Something in the inbox (one notice read, one not) and in the outbox, so their lists
    are checked as people see them."""
    with factory.begin() as session:
        for title in ("Your shifts changed", "The 2026-2027 schedule was published"):
            notify_users(
                session,
                user_ids=[user_id],
                kind=NoticeKind.SHIFT_CHANGED,
                title=title,
                body="No longer yours: CALL on 2026-10-14\nNow yours: WARD on 2026-10-15",
                link="/me",
            )
        session.execute(
            update(NotificationRow)
            .where(NotificationRow.user_id == user_id, NotificationRow.title.startswith("Your"))
            .values(read_at=utc_now())
        )
        queue_mail(
            session, to=[f"user{user_id}@example.org"], subject="Your shifts changed", body="/me"
        )


@pytest.fixture(scope="module")
def program(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, int]]]:
    """The server's base URL and the records the pages name. Written in this process (no
    ``resched`` commands to start)."""
    folder = tmp_path_factory.mktemp("axe")
    url = f"sqlite:///{folder / 'resched.db'}"
    upgrade_to_head(url)
    engine = create_engine_for(url)
    try:
        factory = make_session_factory(engine)
        load_demo(factory=factory)
        _add_accounts(factory)
    finally:
        engine.dispose()
    add_sample_plan(url)
    records = _records(url)
    with serve(url, folder / "server.log") as base_url:
        yield base_url, records


def _sign_in(page: Page, role: UserRole) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(f"axe.{role.value}")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url("/login")


def _findings(page: Page, listed: Listed) -> list[str]:
    path = listed.path
    response = page.goto(path)
    assert response is not None, path
    if response.status != listed.status:  # refused, or not the page it should be
        return [f"{path}: answered {response.status}, not {listed.status}"]
    problems = [f"{path}: {p}" for p in page.evaluate(LAYOUT)]
    for found in page.evaluate(RUN_AXE, AXE_TAGS):
        if found["impact"] in BLOCKING:
            problems.append(
                f"{path}: {found['rule']} ({found['impact']}) {found['help']}: "
                + "; ".join(found["targets"])
            )
    return problems


@pytest.mark.parametrize("role", list(UserRole), ids=str)
def test_every_page_passes_axe_and_fits_a_phone(
    browser: Browser, program: tuple[str, dict[str, int]], role: UserRole
) -> None:
    base_url, records = program
    context = browser.new_context(base_url=base_url, viewport=PHONE)  # type: ignore[arg-type]
    context.set_default_timeout(PATIENCE_MS)
    context.add_init_script(path=AXE)
    try:
        page = context.new_page()
        _sign_in(page, role)
        listed = pages_for(role, records)
        problems = [problem for each in listed for problem in _findings(page, each)]
    finally:
        context.close()
    assert len(listed) >= 10, listed
    assert not problems, f"{role.value}, {len(problems)} problems:\n" + "\n".join(problems)


def test_the_checks_find_what_they_look_for(
    browser: Browser, program: tuple[str, dict[str, int]]
) -> None:
    """The sign-in page (the one page of no role) passes; broken on purpose, axe reports an
    unlabelled control, the layout check a page wider than the phone and a wide table whose
    names scroll away (a green run above means the checks ran, not that they were skipped)."""
    base_url, _ = program
    context = browser.new_context(base_url=base_url, viewport=PHONE)  # type: ignore[arg-type]
    context.set_default_timeout(PATIENCE_MS)
    context.add_init_script(path=AXE)
    try:
        page = context.new_page()
        assert _findings(page, Listed("/login", Permission.ACCOUNT_SELF)) == []
        page.evaluate(BREAK_THE_PAGE)
        rules = {(v["rule"], v["impact"]) for v in page.evaluate(RUN_AXE, AXE_TAGS)}
        problems = page.evaluate(LAYOUT)
    finally:
        context.close()
    assert ("label", "critical") in rules, rules
    assert any(p.startswith("scrolls sideways: ") for p in problems), problems
    assert any(p.endswith('"Name" scrolls away') for p in problems), problems


# The sign-in page, broken: its labels gone, a wide banner, and a wide table in a scrolling
# box whose names are not sticky.
BREAK_THE_PAGE = """() => {
  document.querySelectorAll("label").forEach(l => l.remove());
  const main = document.querySelector("main");
  const banner = document.createElement("p");
  banner.textContent = "wide";
  banner.style.width = "1000px";
  main.append(banner);
  const box = document.createElement("div");
  box.className = "table-scroll";
  box.innerHTML = "<table><tr><th>Name</th><td>" + "a week ".repeat(80) + "</td></tr></table>";
  box.querySelector("th").style.position = "static";
  box.querySelector("td").style.whiteSpace = "nowrap";
  main.append(box);
}"""
