"""Each page on a seeded database: status, content, and the HTML error pages."""

from __future__ import annotations

import dataclasses
import re

import pytest
from fastapi import HTTPException

from resched.services.rotations import list_rotations, update_rotation
from resched.services.years import program_today
from resched.web.templating import STATIC_DIR
from tests.web.conftest import WebApp
from tests.web.htmlcheck import parse
from tests.web.seed import Seeded, thirteen_blocks

pytestmark = pytest.mark.db


def test_home_redirects_to_the_program_overview(web: WebApp) -> None:
    response = web.client.get("/", follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"] == "/program"


def test_overview_shows_people_by_pgy_rotations_shifts_and_coverage(
    seeded: tuple[WebApp, Seeded],
) -> None:
    web, _ = seeded
    response = web.client.get("/program")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = parse(response.text)
    assert page.all("h1")[0].text == "Riverside Internal Medicine"
    headings = [h.text for h in page.all("h3")]
    assert headings[:3] == ["PGY-1 (4)", "PGY-2 (4)", "PGY-3 (4)"]
    assert "Faculty (2)" in headings
    text = page.text
    assert "12 residents and 2 faculty in 2026-27" in text
    assert "Intensive Care Unit" in text
    assert "PGY-1: 1\u20135" in text
    assert "07:00 for 24 h" in text
    assert "24 h + 4 h transition" in text
    assert "19:00\u201307:00 next day" in text
    assert "night float" in text
    assert "Ward call. Every day: 1 PGY-2+ resident from Wards on CALL." in text
    links = {a.attrs["href"] for a in page.all("a")}
    assert any(href.startswith("/people/") for href in links)


def test_overview_lists_what_each_rotation_needs_first(seeded: tuple[WebApp, Seeded]) -> None:
    web, _ = seeded
    icu = next(r for r in list_rotations(factory=web.session_factory).items if r.code == "ICU")
    update_rotation(
        factory=web.session_factory,
        rotation_id=icu.id or 0,
        rotation=dataclasses.replace(icu, prerequisites=("WARDS", "NF")),
    )
    page = parse(web.client.get("/program").text)
    table = next(t for t in page.all("table") if "Needs first" in t.text)
    headers = [th.text for th in table.all("th") if th.attrs.get("scope") == "col"]
    rows = {
        row.all("th")[0].text: [td.text for td in row.all("td")]
        for row in table.all("tr")
        if row.all("td")
    }
    column = headers.index("Needs first") - 1  # the row header is the first column
    assert rows["ICU Intensive Care Unit"][column] == "Wards, Night Float"
    assert rows["WARDS Wards"][column] == "—"


def test_overview_of_an_unknown_year_is_an_html_404(seeded: tuple[WebApp, Seeded]) -> None:
    web, _ = seeded
    response = web.client.get("/program", params={"year": "1999-00"})
    assert response.status_code == 404
    assert "There is no academic year" in response.text


def test_overview_without_any_year_explains_what_to_do(web: WebApp) -> None:
    response = web.client.get("/program")
    assert response.status_code == 200
    assert "No academic year is set up yet" in response.text


def test_person_page_shows_details_levels_absences_and_blocks(
    seeded: tuple[WebApp, Seeded],
) -> None:
    web, ids = seeded
    response = web.client.get(f"/people/{ids.first_resident_id}")
    assert response.status_code == 200
    page = parse(response.text)
    assert page.all("h1")[0].text == "Resident 1-000"
    text = page.text
    assert "Resident, PGY-1 this year" in text
    assert "2026-27 Wed 1 Jul 2026 to Wed 30 Jun 2027 PGY-1" in text
    assert "Mon 21 Dec 2026 Sun 27 Dec 2026 7 Vacation Approved Winter break" in text
    assert "WARDS Wards (half 1)" in text
    assert "ELEC Elective (half 2)" in text
    region = next(d for d in page.iter("div") if d.attrs.get("aria-labelledby") == "rotations")
    assert len(region.all("tbody")[0].all("tr")) == 13


def test_faculty_page_has_no_pgy(seeded: tuple[WebApp, Seeded]) -> None:
    web, ids = seeded
    response = web.client.get(f"/people/{ids.faculty_ids[0]}")
    assert response.status_code == 200
    assert "No PGY level recorded (faculty have none)." in response.text


@pytest.mark.parametrize("path", ["/people/999999", "/people/abc", "/no-such-page"])
def test_unknown_pages_get_a_friendly_html_404(seeded: tuple[WebApp, Seeded], path: str) -> None:
    web, _ = seeded
    response = web.client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    page = parse(response.text)
    assert page.all("h1")[0].text == "Page not found"
    assert page.by_id("main") is not None
    assert {a.attrs["href"] for a in page.all("a")} >= {"/plan", "/program"}


def test_the_person_404_says_which_person(seeded: tuple[WebApp, Seeded]) -> None:
    web, _ = seeded
    assert "There is no person 999999." in web.client.get("/people/999999").text


def test_the_api_keeps_its_json_errors(web: WebApp) -> None:
    response = web.client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert response.json()["error"]["code"] == "not_found"


def test_plan_grid_groups_residents_by_pgy_with_block_dates(
    seeded: tuple[WebApp, Seeded],
) -> None:
    web, _ = seeded
    response = web.client.get("/plan")
    assert response.status_code == 200
    page = parse(response.text)
    table = page.all("table")[0]
    headers = [th.text for th in table.all("thead")[0].all("th")]
    assert headers[0] == "Resident"
    assert headers[1] == "Block 1 1 Jul \u2013 28 Jul"
    assert headers[13] == "Block 13 2 Jun \u2013 30 Jun"
    groups = [th.text for th in table.iter("th") if th.attrs.get("scope") == "rowgroup"]
    assert groups == ["PGY-1 (4 residents)", "PGY-2 (4 residents)", "PGY-3 (4 residents)"]
    assert "published" in page.text


def test_plan_cells_carry_the_rotation_code_as_text_not_only_colour(
    seeded: tuple[WebApp, Seeded],
) -> None:
    web, _ = seeded
    page = parse(web.client.get("/plan").text)
    cells = [td for td in page.iter("td") if "cell" in td.attrs.get("class", "").split()]
    assert len(cells) == 12 * 13 - 1  # one cell of the seed is left unassigned
    codes = {"WARDS", "ICU", "NF", "AMB", "ELEC"}
    for cell in cells:
        words = set(cell.text.replace("(", " ").split())
        assert words & codes, cell.text
    coloured = [td for td in cells if any(c.startswith("rot-") for c in td.attrs["class"].split())]
    assert coloured, "whole-block cells are coloured by rotation"
    split = next(td for td in cells if "split" in td.attrs["class"])
    # A coordinator's cell is a link whose name says which cell it changes.
    assert split.text.startswith("Change block ")
    assert split.text.endswith(": WARDS (half 1) ELEC (half 2)")
    unassigned = [td.text for td in page.iter("td") if "unassigned" in td.attrs.get("class", "")]
    assert len(unassigned) == 1
    assert unassigned[0].endswith(": · not assigned")


def test_plan_filters_by_pgy(seeded: tuple[WebApp, Seeded]) -> None:
    web, _ = seeded
    page = parse(web.client.get("/plan", params={"pgy": "2"}).text)
    groups = [th.text for th in page.iter("th") if th.attrs.get("scope") == "rowgroup"]
    assert groups == ["PGY-2 (4 residents)"]
    selected = [o for o in page.all("option") if "selected" in o.attrs]
    assert [o.text for o in selected] == ["2026-27", "PGY-2"]


@pytest.mark.parametrize("value", ["", "abc", "-1"])
def test_plan_ignores_a_pgy_filter_that_is_not_a_level(
    seeded: tuple[WebApp, Seeded], value: str
) -> None:
    web, _ = seeded
    response = web.client.get("/plan", params={"pgy": value})
    assert response.status_code == 200
    assert response.text.count('scope="rowgroup"') == 3


def test_htmx_request_gets_only_the_grid_fragment(seeded: tuple[WebApp, Seeded]) -> None:
    web, _ = seeded
    response = web.client.get("/plan", params={"pgy": "3"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.headers["vary"] == "HX-Request"
    assert "<html" not in response.text
    assert "<h1" not in response.text
    assert 'scope="rowgroup"' in response.text
    assert "PGY-3 (4 residents)" in parse(response.text).text
    restore = web.client.get(
        "/plan", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in restore.text, "the back button restores a whole page"


def test_plan_empty_state_before_any_rotation_plan(web: WebApp) -> None:
    web.seed(with_plan=False)
    response = web.client.get("/plan")
    assert response.status_code == 200
    assert "No rotation plan yet — generation comes with schedule generation" in response.text
    assert "<table" not in response.text


def test_plan_without_any_year(web: WebApp) -> None:
    response = web.client.get("/plan")
    assert response.status_code == 200
    assert "No academic year is set up yet" in response.text


def test_rotation_stylesheet_gives_each_rotation_a_readable_colour(
    seeded: tuple[WebApp, Seeded],
) -> None:
    web, _ = seeded
    response = web.client.get("/rotations.css")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/css")
    lines = response.text.strip().splitlines()
    assert len(lines) == 5
    assert any("background-color: #2c2c54; color: #ffffff;" in line for line in lines)
    assert any("background-color: #ffdd57; color: #000000;" in line for line in lines)


def test_static_files_are_served(web: WebApp) -> None:
    response = web.client.get("/static/css/app.css")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/css")


def test_stylesheets_nest_rules_only_inside_at_rules() -> None:
    # An unclosed rule made browsers drop everything after it (the phone card layout): every
    # '{' closes, and a rule opens at depth 0 or directly inside an @media/@supports block.
    for sheet in sorted((STATIC_DIR / "css").glob("*.css")):
        text = re.sub(r"/\*.*?\*/", "", sheet.read_text(), flags=re.S)
        depth, at_rule_depths = 0, []
        for match in re.finditer(r"([^{}]*)([{}])", text):
            if match.group(2) == "{":
                selector = match.group(1).strip()
                inside_at_rule = bool(at_rule_depths) and at_rule_depths[-1] == depth - 1
                assert depth == 0 or inside_at_rule, f"{sheet.name}: {selector!r} nested"
                if selector.startswith("@"):
                    at_rule_depths.append(depth)
                depth += 1
            else:
                depth -= 1
                assert depth >= 0, f"{sheet.name}: '}}' without its '{{'"
                if at_rule_depths and at_rule_depths[-1] == depth:
                    at_rule_depths.pop()
        assert depth == 0, f"{sheet.name}: {depth} rule(s) not closed"


def test_plan_marks_the_block_containing_today(seeded: tuple[WebApp, Seeded]) -> None:
    web, _ = seeded
    today = program_today("America/Chicago")
    page = parse(web.client.get("/plan").text)
    marked = [th.text for th in page.iter("th") if th.attrs.get("aria-current") == "date"]
    blocks = thirteen_blocks()
    expected = [f"Block {b.number}" for b in blocks if b.start_date <= today <= b.end_date]
    assert [text.split(" ")[0] + " " + text.split(" ")[1] for text in marked] == expected
    assert all(text.endswith("now") for text in marked)


def test_forbidden_is_a_friendly_page_outside_the_api_and_json_inside(web: WebApp) -> None:
    def forbidden() -> None:
        raise HTTPException(403)

    web.app.add_api_route("/test-forbidden", forbidden)
    web.app.add_api_route("/api/v1/test-forbidden", forbidden)
    page = web.client.get("/test-forbidden")
    assert page.status_code == 403
    assert page.headers["content-type"].startswith("text/html")
    assert parse(page.text).all("h1")[0].text == "You cannot open this page"
    api = web.client.get("/api/v1/test-forbidden")
    assert api.status_code == 403
    assert api.json() == {"error": {"code": "forbidden", "message": "Forbidden", "details": {}}}


def test_wrong_method_on_a_page_is_an_html_error(web: WebApp) -> None:
    response = web.client.post("/plan")
    assert response.status_code == 405
    assert response.headers["content-type"].startswith("text/html")
    assert "allow" in response.headers
