"""Accessibility basics every page keeps: language, landmarks, one h1, labelled controls,
table headers with scope, no inline script or style (a strict CSP is coming)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from resched.db.tables import AbsenceRow, UserRole
from resched.services.coverage import list_coverage_requirements
from resched.services.generation import GenerationKind, GenerationRequest, Limits, make_spec
from resched.services.jobs.generations import start_generation
from resched.services.rotations import list_rotations
from resched.services.schedules import list_schedules
from resched.services.shift_types import list_shift_types
from tests.job_helpers import RecordingQueue
from tests.page_list import pages_for
from tests.web.conftest import WebApp
from tests.web.htmlcheck import Element, parse
from tests.web.seed import Seeded

pytestmark = pytest.mark.db


def _records(web: WebApp, ids: Seeded) -> dict[str, int]:
    """The records the paths of tests/page_list.py name, in the seeded program; a queued
    generation job (nothing runs it) for the run page and a row of the Jobs page."""
    spec = make_spec(
        factory=web.session_factory,
        request=GenerationRequest(GenerationKind.PLAN, limits=Limits(time_limit_s=5), year=None),
    )
    run = start_generation(
        factory=web.session_factory,
        queue=RecordingQueue(),
        spec=spec,
        actor=None,
        requested_by=None,
    )
    factory = web.session_factory
    version = list_schedules(factory=factory).items[0].id
    return {
        "person": ids.first_resident_id,
        "run": run.id,
        "version": version,
        # No solve here (tests/e2e/test_axe.py has a finished one): the queued run again.
        "finished_run": run.id,
        "generated": version,
        "year": ids.year_id,
        "coverage": list_coverage_requirements(factory=factory).items[0].id,
        "rotation": list_rotations(factory=factory).items[0].id,
        "shift_type": list_shift_types(factory=factory).items[0].id,
        "absence": _first_absence(factory),
    }


def _first_absence(factory: sessionmaker[Session]) -> int:
    with factory() as session:
        found = session.scalars(select(AbsenceRow.id).order_by(AbsenceRow.id)).first()
    assert found is not None, "the seeded program has an absence"
    return found


def _pages(web: WebApp, ids: Seeded) -> dict[str, Element]:
    """Every page a coordinator (the web client's role) may open, the error pages too."""
    pages = {}
    for page in pages_for(UserRole.COORDINATOR, _records(web, ids)):
        response = web.client.get(page.path)
        assert response.status_code == page.status, (page.path, response.status_code)
        pages[page.path] = parse(response.text)
    return pages


@pytest.fixture
def pages(seeded: tuple[WebApp, Seeded]) -> dict[str, Element]:
    return _pages(*seeded)


def test_language_title_and_landmarks(pages: dict[str, Element]) -> None:
    for path, page in pages.items():
        html = page.all("html")[0]
        assert html.attrs.get("lang") == "en", path
        assert page.all("title")[0].text, path
        assert len(page.all("main")) == 1, path
        assert page.all("header"), path
        assert page.all("footer"), path
        navs = page.all("nav")
        assert navs, path
        assert all(nav.attrs.get("aria-label") for nav in navs), path


def test_exactly_one_h1(pages: dict[str, Element]) -> None:
    for path, page in pages.items():
        assert len(page.all("h1")) == 1, path


def test_skip_link_is_first_and_targets_main(pages: dict[str, Element]) -> None:
    for path, page in pages.items():
        first_link = page.all("a")[0]
        assert first_link.attrs["href"] == "#main", path
        target = page.by_id("main")
        assert target is not None, path
        assert target.tag == "main", path


def test_every_form_control_has_a_label(pages: dict[str, Element]) -> None:
    for path, page in pages.items():
        label_for = {label.attrs.get("for") for label in page.iter("label")}
        for tag in ("input", "select", "textarea"):
            for control in page.iter(tag):
                if control.attrs.get("type") in ("hidden", "submit", "button"):
                    continue
                labelled = (
                    control.attrs.get("id") in label_for
                    or control.attrs.get("aria-label")
                    or control.attrs.get("aria-labelledby")
                    or any(a.tag == "label" for a in control.ancestors())
                )
                assert labelled, (path, control.attrs)
        for button in page.iter("button"):
            assert button.text or button.attrs.get("aria-label"), path


def test_table_headers_have_scope_and_tables_a_name(pages: dict[str, Element]) -> None:
    tables = 0
    for path, page in pages.items():
        for table in page.iter("table"):
            tables += 1
            for th in table.iter("th"):
                assert th.attrs.get("scope") in ("col", "row", "rowgroup", "colgroup"), (
                    path,
                    th.text,
                )
            region = next((a for a in table.ancestors() if a.attrs.get("role") == "region"), None)
            assert table.all("caption") or region is not None, path
    assert tables >= 4


def test_scrolling_regions_are_named_and_reachable_by_keyboard(pages: dict[str, Element]) -> None:
    for path, page in pages.items():
        for region in page.iter("div"):
            if "table-scroll" in region.attrs.get("class", "").split():
                assert region.attrs.get("tabindex") == "0", path
                assert page.by_id(region.attrs["aria-labelledby"]) is not None, path


def test_no_inline_scripts_handlers_or_styles(seeded: tuple[WebApp, Seeded]) -> None:
    web, ids = seeded
    person = f"/people/{ids.first_resident_id}"
    catalog = ["/program/rotations/new", "/program/coverage/new", "/program/shift-types"]
    pages = ["/program", "/plan", person, "/nowhere", "/generate", "/jobs", "/requests"]
    for path in [*pages, *catalog]:
        text = web.client.get(path).text
        page = parse(text)
        for script in page.iter("script"):
            assert script.attrs.get("src", "").startswith("/static/"), path
            assert not script.text, path
        assert not page.all("style"), path
        for element in page.iter():
            assert "style" not in element.attrs, (path, element.tag)
            assert not [a for a in element.attrs if a.startswith("on")], (path, element.tag)
        assert not re.search(r"https?://", text.split("</head>")[0]), "no CDN in the head"


def test_nav_links_only_to_pages_that_exist(seeded: tuple[WebApp, Seeded]) -> None:
    web, _ = seeded
    page = parse(web.client.get("/program").text)
    nav = next(n for n in page.iter("nav") if n.attrs.get("aria-label") == "Main")
    links = [a.attrs["href"] for a in nav.iter("a")]
    assert links == [
        "/today",
        "/schedule",
        "/plan",
        "/program",
        "/people",
        "/absences",
        "/leave",
        "/requests",
        "/swaps",
        "/compliance",
        "/contingency",
        "/generate",
        "/import",
        "/jobs",
    ]
    for href in links:
        assert web.client.get(href).status_code == 200
    current = [a.text for a in nav.iter("a") if a.attrs.get("aria-current") == "page"]
    assert current == ["Program"]
