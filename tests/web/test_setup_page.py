"""/setup, the first start: an administrator signing in to an empty database lands there and
loads the demo or follows the checklist, which shows what each step holds; nobody else is sent
there or may open it."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from resched.core.model import BlockScheme, BlockSchemeKind, RuleConfig, ShiftKind, ShiftType
from resched.services.academic_years import create_academic_year
from resched.services.audit import list_audit_events
from resched.services.demo import program_exists
from resched.services.program import update_program
from resched.services.shift_types import create_shift_type
from tests.web.conftest import WebApp
from tests.web.htmlcheck import parse
from tests.web.test_sign_in import csrf_of, sign_in

pytestmark = pytest.mark.db


def _steps(client: TestClient) -> dict[str, str]:
    """Each step's key -> its state and summary, as the page shows them."""
    page = client.get("/setup")
    assert page.status_code == 200, page.text
    html = parse(page.text)
    found = {}
    for key in ("program", "year", "shift-types", "rotations", "coverage", "people", "plan"):
        step = html.by_id(f"step-{key}")
        assert step is not None, key
        found[key] = " ".join(step.text.replace("\u2713", "").split())  # the tick is decoration
    return found


def _load_demo(client: TestClient) -> object:
    token = csrf_of(client.get("/setup"))
    return client.post("/setup/demo", data={"csrf_token": token}, follow_redirects=False)


def test_an_administrator_signing_in_to_an_empty_database_lands_on_setup(web: WebApp) -> None:
    web.client_as("admin", username="rosa")  # the account `resched user create` makes
    signed_in = sign_in(web.anonymous)
    assert signed_in.status_code == 303
    landed = web.anonymous.get(signed_in.headers["location"])
    assert landed.url.path == "/setup"
    text = " ".join(parse(landed.text).text.split())
    assert "Load the demo program" in text
    assert "Set up your program" in text
    assert "Next: Program" in text
    # The Program page's empty state leads there too (the brand link "/" does while empty).
    assert 'href="/setup"' in web.anonymous.get("/program").text


@pytest.mark.parametrize("role", ["resident", "faculty", "coordinator"])
def test_nobody_else_is_sent_there_or_may_open_it(web: WebApp, role: str) -> None:
    client = web.client_as(role)
    home = client.get("/", follow_redirects=False)
    assert home.headers["location"] == "/program"
    assert client.get("/setup").status_code == 403
    assert 'href="/setup"' not in client.get("/program").text
    assert client.post("/setup/demo", data={"csrf_token": "x"}).status_code in {403}
    assert not program_exists(factory=web.session_factory)


def _program_events(web: WebApp) -> list[tuple[str, str | None]]:
    events = list_audit_events(factory=web.session_factory, entity="program").items
    return [(e.action, e.actor) for e in events]


def test_loading_the_demo_from_it_is_audited_and_happens_once(web: WebApp) -> None:
    admin = web.client_as("admin", username="rosa")
    loaded = _load_demo(admin)
    assert loaded.status_code == 303  # type: ignore[attr-defined]
    page = admin.get(loaded.headers["location"])  # type: ignore[attr-defined]
    assert "The demo program is loaded" in page.text
    steps = _steps(admin)
    assert steps["people"] == "People Done 36 residents, 16 faculty"
    assert steps["plan"].startswith("Generate the rotation plan Next")
    # The jeopardy shift is set once the demo's shift types exist: an audited update.
    assert _program_events(web) == [("create", "rosa"), ("update", "rosa"), ("demo.load", "rosa")]
    assert admin.get("/", follow_redirects=False).headers["location"] == "/program"

    again = _load_demo(admin)
    assert again.status_code == 409  # type: ignore[attr-defined]
    assert "already holds the program" in again.text  # type: ignore[attr-defined]
    assert len(_program_events(web)) == 3


def test_the_checklist_shows_what_is_set_up_and_what_comes_next(web: WebApp) -> None:
    admin = web.client_as("admin")
    factory = web.session_factory
    assert set(_steps(admin).values()) >= {"Program Next Name and time zone"}

    update_program(
        factory=factory,
        name="Sample Pediatrics",
        timezone="America/Denver",
        rules=RuleConfig(call_every_nth_night=4),
        freeze_horizon_days=7,
    )
    # A program without a year is still a first start.
    assert admin.get("/", follow_redirects=False).headers["location"] == "/setup"
    create_academic_year(
        factory=factory,
        label="2026-27",
        start=dt.date(2026, 7, 1),
        end=None,
        scheme=BlockScheme(BlockSchemeKind.MONTHLY),
        us_federal_holidays=True,
    )
    create_shift_type(
        factory=factory,
        shift_type=ShiftType("WARD", "Ward day", dt.time(7), 600, ShiftKind.WORK),
    )
    steps = _steps(admin)
    assert steps["program"] == "Program Done Sample Pediatrics, time zone America/Denver"
    assert steps["year"] == "Year, blocks and holidays Done 2026-27: 12 blocks, 11 holidays"
    assert steps["shift-types"] == "Shift types Done 1 shift type"
    assert steps["rotations"] == "Rotations Next 0 rotations"
    assert steps["coverage"] == "Coverage To do 0 rules"
    page = parse(admin.get("/setup").text)
    assert "Load the demo program" not in page.text  # no longer an empty database
    links = {a.attrs.get("href") for a in page.all("a")}
    expected = {"/program/settings", "/program/years", "/program/shift-types"}
    assert expected | {"/program/rotations", "/program/coverage", "/people/new", "/generate"} <= (
        links
    )
    assert admin.get("/", follow_redirects=False).headers["location"] == "/program"


@pytest.mark.parametrize(
    "path",
    ["/program/settings", "/program/years", "/program/shift-types", "/program/rotations",
     "/program/coverage", "/program", "/people"],
)  # fmt: skip
def test_the_steps_pages_lead_administrators_back_to_the_checklist(web: WebApp, path: str) -> None:
    """The pages the checklist opens link back to it, for those who set the program up."""

    def links(role: str) -> set[str]:
        page = parse(web.client_as(role).get(path).text)
        return {a.attrs.get("href", "") for a in page.iter("a")}

    assert "/setup" in links("admin")
    assert "/setup" not in links("coordinator")
