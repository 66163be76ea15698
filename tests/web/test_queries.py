"""Pages run a fixed number of SQL statements, whatever the number of rows they show."""

from __future__ import annotations

import pytest

from tests.web.conftest import WebApp
from tests.web.seed import grow

pytestmark = pytest.mark.db

# Upper bounds (measured on the seed: 14, 8, 1 and 10 statements, plus a little room for a
# repository to add an eager load, plus 1 for the signed-in user's session lookup), so a page
# that starts loading per row fails here. The program page is the largest: its year choice
# and the overview read model both read years. The schedule page reads three more for the
# coordinator's picker of drafts (the web client is a coordinator). Every page reads one more
# for the header's unread-notice count; the program page one more for the shift types its
# jeopardy-shift choice offers, and one more for the version its settings form is drawn at
# (read before the settings: resched.services.versions).
BOUNDS = {"/program": 20, "/plan": 11, "/rotations.css": 2, "person": 13, "/schedule": 19}


def _count(web: WebApp, path: str) -> int:
    def fetch() -> None:
        assert web.client.get(path).status_code == 200

    return web.queries.measure(fetch)


@pytest.mark.parametrize("path", ["/program", "/plan", "/rotations.css", "/schedule"])
def test_pages_on_an_empty_database_stay_within_bounds(web: WebApp, path: str) -> None:
    assert _count(web, path) <= BOUNDS[path]


def test_query_count_does_not_grow_with_the_rows_shown(web: WebApp) -> None:
    seeded = web.seed(residents_per_level=1, faculty=1)
    paths = ["/program", "/plan", "/plan?pgy=2", "/rotations.css", "/schedule?date=2026-10-14"]
    person = f"/people/{seeded.first_resident_id}"
    before = {path: _count(web, path) for path in [*paths, person]}

    grow(web.session_factory, seeded, residents=80, absences=40)
    after = {path: _count(web, path) for path in [*paths, person]}

    assert after == before
    for path, count in after.items():
        assert count <= BOUNDS.get(path.split("?")[0], BOUNDS["person"]), (path, count)
    big = web.client.get("/plan").text
    assert big.count("<tr>") >= 83  # the grown residents are really on the page
    assert web.client.get(person).text.count("Conference") == 40


def test_the_edit_pages_do_not_query_per_row(web: WebApp) -> None:
    seeded = web.seed(residents_per_level=1, faculty=1)
    paths = ["/people", "/people?pgy=2", "/absences", "/absences?status=approved"]
    before = {path: _count(web, path) for path in paths}
    grow(web.session_factory, seeded, residents=80, absences=40)
    assert {path: _count(web, path) for path in paths} == before
    assert web.client.get("/people").text.count('<tr id="person-') == 84  # 3 + 1 + 80
    assert web.client.get("/absences").text.count('<tr id="absence-') == 43
