"""The first start in a browser, on a phone: an administrator signs in to an EMPTY database (no
demo), lands on Setup, and follows the checklist's Next link from step to step, entering a
smaller pediatrics program (tests/programs/pediatrics.py is the full one) through each page's
real form: the program's settings (q4 call), the academic year with its monthly blocks and
holidays, four shift types, three rotations, three coverage rules (in-house call, a weekend
clinic and its faculty member), six residents PGY-1 to 3 and two faculty. Then the last step,
Generate the rotation plan: a job that a real worker runs, bounded by deterministic work; its
draft is published, every step shows Done, and the Block plan has every resident on it.

Each step is checked on the Setup page as the administrator sees it (Done, and what it holds),
so a form that stops saving, or a checklist that stops counting, fails the test.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import (
    PASSWORD,
    PATIENCE_MS,
    PHONE,
    create_user,
    job_worker,
    run_resched,
    serve,
)
from tests.e2e.published import OVERFLOW
from tests.solve_limits import SAFETY_S

pytestmark = pytest.mark.e2e
ADMIN = "e2e.director"
CALL_LABEL = "In-house call at most every Nth night (nights)"
YEAR = "2026-27"
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
WEEKEND = ("Saturday", "Sunday")
EVERY_DAY = WEEKDAYS + WEEKEND

# (code, name, starts at, hours, kind, transition hours)
SHIFT_TYPES = (
    ("WARD", "Ward day", "07:00", "10", "work", ""),
    ("CALL", "24 h in-house call", "07:00", "24", "in_house_call", "4"),
    ("CLIN", "Clinic day", "08:00", "9", "work", ""),
    ("WKC", "Weekend clinic", "09:00", "4", "work", ""),
)
# (code, name, weekday shift, residents per block, blocks per year, leave allowed): six
# residents, two per PGY level, are placed every one of the 12 blocks: 3-5 on the wards, 1-3
# in clinic, 0-2 seniors on an elective; each resident's yearly ranges admit 12 blocks.
ROTATIONS = (
    ("WARDS", "Inpatient wards", "WARD", "1: 1-2\n2-3: 2-3", "1: 6-8\n2: 5-7\n3: 5-7", False),
    ("CLINIC", "General pediatrics clinic", "CLIN", "1-3: 1-3", "1: 4-6\n2: 3-5\n3: 3-5", True),
    ("ELEC", "Elective", "", "1: 0\n2-3: 0-2", "1: 0\n2: 1-3\n3: 1-3", True),
)
# (name, shift, days, at least, at most, roles, on rotations)
COVERAGE = (
    ("In-house call", "CALL", EVERY_DAY, "1", "1", ("Residents",), "WARDS CLINIC"),
    ("Weekend clinic", "WKC", WEEKEND, "1", "2", ("Residents",), "CLINIC ELEC"),
    ("Weekend clinic attending", "WKC", WEEKEND, "1", "1", ("Faculty",), ""),
)
RESIDENTS = tuple(
    (f"P{pgy}-{n}", f"{given} {family}", str(pgy))
    for pgy, family in ((1, "Okafor"), (2, "Lind"), (3, "Moreau"))
    for n, given in enumerate(("Ana", "Ben"), start=1)
)
FACULTY = (("F-1", "Dr Abara"), ("F-2", "Dr Brandt"))
PLAN_WORK = "20"  # deterministic work units: the same search on a loaded machine as an idle one


@pytest.fixture(scope="module")
def empty_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """Migrated, one administrator, nothing else: production's first start; with a worker
    on the embedded broker for the generation job. The server's URL and the worker's log."""
    directory = tmp_path_factory.mktemp("empty")
    url = f"sqlite:///{directory / 'resched.db'}"
    run_resched("db", "upgrade", "--database-url", url)
    create_user(url, ADMIN, "admin")
    with (
        job_worker(url, directory) as worker_log,
        serve(url, directory / "server.log", workdir=directory) as base_url,
    ):
        yield base_url, worker_log


@pytest.fixture
def phone(browser: Browser, empty_server: tuple[str, Path]) -> Iterator[Page]:
    context = browser.new_context(base_url=empty_server[0], viewport=PHONE)  # type: ignore[arg-type]
    context.set_default_timeout(PATIENCE_MS)
    yield context.new_page()
    context.close()


def _step(page: Page, key: str) -> str:
    return " ".join(page.locator(f"#step-{key}").inner_text().replace("\u2713", "").split())


def _back_to_setup(page: Page) -> None:
    """By the step's page's link back to the checklist, else by the Program page's."""
    back = page.get_by_role("link", name="Back to the setup checklist")
    if not back.count():
        page.get_by_role("navigation", name="Main").get_by_role(
            "link", name="Program", exact=True
        ).click()
        back = page.get_by_role("link", name="Setup checklist", exact=True)
    back.click()
    expect(page).to_have_url("/setup")


def _next(page: Page, key: str, done: str, title: str, href: str) -> None:
    """Back on Setup: the step just taken is Done and says what it holds; follow Next on."""
    _back_to_setup(page)
    assert _step(page, key) == done
    link = page.get_by_role("link", name=f"Next: {title}")
    expect(link).to_have_attribute("href", href)
    link.click()
    expect(page).to_have_url(href)


def _fits(page: Page) -> None:
    assert page.evaluate(OVERFLOW) <= 0


def _sign_in_to_setup(phone: Page, screenshot_dir: Path) -> None:
    phone.goto("/")
    phone.get_by_label("Username").fill(ADMIN)
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    expect(phone).to_have_url("/setup")
    expect(phone.get_by_role("button", name="Load the demo program")).to_be_visible()
    expect(phone.get_by_role("heading", name="Set up your program")).to_be_visible()
    _fits(phone)
    phone.screenshot(path=str(screenshot_dir / "setup-phone.png"), full_page=True)
    phone.get_by_role("link", name="Next: Program").click()
    expect(phone).to_have_url("/program/settings")


def _program_settings(phone: Page) -> None:
    phone.get_by_label("Program name").fill("Sample Pediatrics Residency")
    phone.get_by_label("Time zone").select_option("America/Denver")
    phone.get_by_label(CALL_LABEL).fill("4")
    phone.get_by_role("button", name="Save program settings").click()
    expect(phone.get_by_role("status")).to_have_text("The program settings were saved.")


def _academic_year(phone: Page) -> None:
    expect(phone.locator("h1")).to_have_text("Academic years")
    phone.get_by_label("Label").fill(YEAR)
    phone.get_by_label("First day").fill("2026-07-01")
    phone.get_by_label("Blocks", exact=True).select_option("monthly")
    phone.get_by_label("Add the US federal holidays (observed days)").check()
    phone.get_by_role("button", name="Create academic year").click()
    expect(phone.get_by_role("status")).to_have_text("The academic year was created.")
    phone.goto("/")  # no longer a first start: the program overview
    expect(phone).to_have_url("/program")


def _add(phone: Page, noun: str, name: str, code: str | None = None) -> None:
    """From a catalog list, its "Add a ..." form, with the entry's code and name typed."""
    phone.get_by_role("link", name=f"Add a {noun}").click()
    expect(phone.locator("h1")).to_have_text(f"Add a {noun}")
    if code is not None:
        phone.get_by_label("Code", exact=True).fill(code)
    phone.get_by_label("Name", exact=True).fill(name)


def _saved(phone: Page, noun: str) -> None:
    _fits(phone)
    phone.get_by_role("button", name=f"Add {noun}").click()
    expect(phone.get_by_role("status")).to_have_text(f"The {noun} was added.")


def _shift_types(phone: Page) -> None:
    for code, name, start, hours, kind, transition in SHIFT_TYPES:
        _add(phone, "shift type", name, code)
        phone.get_by_label("Starts at (local time)").fill(start)
        phone.get_by_label("Length (hours)").fill(hours)
        phone.get_by_label("Kind of duty").select_option(kind)
        phone.get_by_label("Transition time (hours)").fill(transition)
        _saved(phone, "shift type")


def _rotations(phone: Page) -> None:
    for code, name, shift, places, yearly, leave in ROTATIONS:
        _add(phone, "rotation", name, code)
        for day in WEEKDAYS:
            phone.get_by_label(day, exact=True).fill(shift)
        phone.get_by_label("Residents per block, by PGY").fill(places)
        phone.get_by_label("Blocks per year, by PGY").fill(yearly)
        phone.get_by_label("Leave may be taken on this rotation").set_checked(leave)
        _saved(phone, "rotation")


def _coverage(phone: Page) -> None:
    for name, shift, days, low, high, roles, rotations in COVERAGE:
        _add(phone, "coverage requirement", name)
        phone.get_by_label("Shift", exact=True).select_option(shift)
        for day in EVERY_DAY:
            phone.get_by_label(day, exact=True).set_checked(day in days)
        phone.get_by_label("At least (people)").fill(low)
        phone.get_by_label("At most (people)").fill(high)
        for role in ("Residents", "Faculty"):
            phone.get_by_label(role, exact=True).set_checked(role in roles)
        phone.get_by_label("On rotations (codes)").fill(rotations)
        _saved(phone, "coverage requirement")


def _people(phone: Page) -> None:
    people = [(code, name, "resident", pgy) for code, name, pgy in RESIDENTS]
    people += [(code, name, "faculty", "") for code, name in FACULTY]
    for index, (code, name, role, pgy) in enumerate(people):
        if index:  # the checklist opened the first form
            phone.get_by_role("link", name="People", exact=True).first.click()
            phone.get_by_role("link", name="Add a person").click()
        expect(phone.locator("h1")).to_have_text("Add a person")
        phone.get_by_label("Code", exact=True).fill(code)
        phone.get_by_label("Name", exact=True).fill(name)
        phone.get_by_label("Role").select_option(role)
        phone.get_by_label(YEAR).select_option(pgy)
        _fits(phone)
        phone.get_by_role("button", name="Add person").click()
        expect(phone.get_by_role("status")).to_have_text("The person was added.")
        expect(phone.locator("h1")).to_have_text(name)


def _generate_the_plan(phone: Page, worker_log: Path) -> None:
    expect(phone.locator("h1")).to_have_text("Generate")
    phone.get_by_label("What to generate").select_option("plan")
    phone.get_by_label("Academic year").select_option(YEAR)
    phone.get_by_label("Work limit").fill(PLAN_WORK)
    phone.get_by_label("Time limit (seconds)").fill(f"{SAFETY_S:g}")  # a net for a hang only
    phone.get_by_label("Seed").fill("1")
    _fits(phone)
    phone.get_by_role("button", name="Generate").click()
    expect(phone).to_have_url(re.compile(r"/generate/runs/\d+$"))
    # The run page polls its job and moves on to the draft once the worker has stored it.
    try:
        expect(phone).to_have_url(re.compile(r"/generate/drafts/\d+$"))
    except AssertionError as exc:
        raise AssertionError(
            f"{exc}\n{phone.locator('#run-progress').inner_text()}\n{worker_log.read_text()}"
        ) from None
    publish = phone.get_by_role("button", name=re.compile(r"^Publish version #\d+$"))
    publish.click()
    expect(phone.get_by_role("status").first).to_have_text("The draft is published.")


def test_an_administrator_sets_the_program_up_from_an_empty_database(
    phone: Page, empty_server: tuple[str, Path], screenshot_dir: Path
) -> None:
    _sign_in_to_setup(phone, screenshot_dir)
    _program_settings(phone)
    _next(
        phone,
        "program",
        "Program Done Sample Pediatrics Residency, time zone America/Denver",
        "Year, blocks and holidays",
        "/program/years",
    )
    _academic_year(phone)
    expect(phone.get_by_role("button", name="Load the demo program")).to_have_count(0)
    _next(
        phone,
        "year",
        f"Year, blocks and holidays Done {YEAR}: 12 blocks, 11 holidays",
        "Shift types",
        "/program/shift-types",
    )
    _shift_types(phone)
    _next(phone, "shift-types", "Shift types Done 4 shift types", "Rotations", "/program/rotations")
    _rotations(phone)
    _next(phone, "rotations", "Rotations Done 3 rotations", "Coverage", "/program/coverage")
    _coverage(phone)
    _next(phone, "coverage", "Coverage Done 3 rules", "People", "/people/new")
    _people(phone)
    _next(
        phone,
        "people",
        "People Done 6 residents, 2 faculty",
        "Generate the rotation plan",
        "/generate",
    )
    _generate_the_plan(phone, empty_server[1])

    _back_to_setup(phone)
    expect(phone.get_by_role("status")).to_contain_text("Every step is done.")
    steps = ("program", "year", "shift-types", "rotations", "coverage", "people", "plan")
    for key in steps:
        expect(phone.locator(f"#step-{key} .step-state")).to_have_text(re.compile("Done"))
    assert _step(phone, "plan") == "Generate the rotation plan Done A plan is made"
    expect(phone.get_by_role("link", name=re.compile("^Next:"))).to_have_count(0)
    _fits(phone)
    phone.get_by_role("link", name="See the rotation plan").click()
    expect(phone.locator("h1")).to_have_text("Block plan")
    expect(phone.locator("td.cell").first).to_be_visible()
    names = phone.locator("tbody th[scope=row]").all_inner_texts()
    assert sorted(names) == sorted(name for _, name, _ in RESIDENTS)
    # Every resident on a rotation in each of the 12 blocks: the plan is whole.
    assert phone.locator("tbody tr:has(th[scope=row]) td.cell").count() == 12 * len(RESIDENTS)
    expect(phone.locator("td.unassigned")).to_have_count(0)
