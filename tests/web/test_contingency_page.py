"""The Contingency page on the demo and the pediatrics-like program with the pools of
tests/contingency_data.py: run the analysis (CSRF-checked form, a job with polled progress),
then the report - the heatmap with a number and a mark in every cell, the single points of
failure, the fatal pairs, utilization with the 80 % line, backups; who may open and run it."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.contingency_data import POOL_STORES, Pools
from tests.job_helpers import RecordingQueue, inline_runtime, work_off
from tests.web import test_accessibility as a11y
from tests.web.conftest import WebApp
from tests.web.htmlcheck import Element, parse
from tests.web.test_sign_in import csrf_of

pytestmark = pytest.mark.db


def _queue(web: WebApp) -> RecordingQueue:
    queue = RecordingQueue()
    web.app.state.job_queue = queue
    return queue


def _run(web: WebApp, pools: Pools, database_url: str) -> int:
    """Run the analysis from the page's form; the job's id."""
    queue = _queue(web)
    page = web.client.get("/contingency")
    assert page.status_code == 200, page.text
    form = {
        "csrf_token": csrf_of(page),
        "version_id": str(pools.version_id),
        "start": pools.start.isoformat(),
        "end": pools.end.isoformat(),
    }
    sent = web.client.post("/contingency", data=form, follow_redirects=False)
    assert sent.status_code == 303, sent.text
    job_id = int(sent.headers["location"].rsplit("job=", 1)[1])
    running = parse(web.client.get(sent.headers["location"]).text)
    block = running.by_id("contingency-job")
    assert block is not None
    assert block.attrs["hx-get"] == f"/contingency/jobs/{job_id}"  # polls while queued
    assert work_off(inline_runtime(database_url, web.session_factory), queue) == ["succeeded"]
    done = web.client.get(f"/contingency/jobs/{job_id}", headers={"HX-Request": "true"})
    assert done.headers.get("HX-Refresh") == "true"
    assert "hx-get" not in done.text  # finished: the polling stops
    return job_id


def _table(tree: Element, caption: str) -> Element:
    return next(t for t in tree.iter("table") if caption in t.all("caption")[0].text)


def _rows(table: Element) -> list[list[str]]:
    return [
        [cell.text.strip() for cell in tr.children if isinstance(cell, Element)]
        for tr in table.all("tbody")[0].all("tr")
    ]


@pytest.mark.parametrize("program", sorted(POOL_STORES))
def test_run_then_read_the_report(web: WebApp, database_url: str, program: str) -> None:
    pools = POOL_STORES[program](web.session_factory)
    before = web.client.get(f"/contingency?version={pools.version_id}")
    assert "No analysis of this schedule has finished yet" in before.text
    _run(web, pools, database_url)
    response = web.client.get(f"/contingency?version={pools.version_id}")
    assert response.status_code == 200, response.text
    tree = parse(response.text)
    grid = _table(tree, "Margin by day and requirement")
    heads = [th.text for th in grid.all("thead")[0].all("th")]
    ecmo = heads.index("ECMO cover")
    for tr in grid.all("tbody")[0].all("tr"):
        cell = [c for c in tr.children if isinstance(c, Element)][ecmo]
        assert "margin-zero" in cell.attrs["class"]
        assert cell.text.startswith("0 !")  # the number and a mark, not colour alone
        assert "nobody can be lost" in cell.text
    assert next(grid.ancestors()).attrs["class"] == "table-scroll"
    spof = _rows(_table(tree, "If this person is out"))
    lone = next(r for r in spof if f"({pools.lone})" in r[0])
    assert lone[1].startswith("Critical")
    assert (lone[2], lone[4]) == ("7", "0")
    pairs = _rows(_table(tree, "Fatal pairs"))
    assert len([r for r in pairs if "pair" in r[0].lower()]) == 3
    pools_rows = _rows(_table(tree, "Pools, fullest first"))
    ecmo_pool = next(r for r in pools_rows if r[0] == "ECMO cover")
    assert ecmo_pool[4].endswith("88 % no slack left")
    backups = _rows(_table(tree, "Backup for each shift"))
    assert any(pools.pair[2] in r[2] for r in backups)
    assert "pairs were tried" in tree.text
    # The accessibility basics every page keeps, on the page with a report.
    shown = {"/contingency": tree}
    for check in (
        a11y.test_exactly_one_h1,
        a11y.test_every_form_control_has_a_label,
        a11y.test_table_headers_have_scope_and_tables_a_name,
        a11y.test_scrolling_regions_are_named_and_reachable_by_keyboard,
    ):
        check(shown)
    assert not [e.tag for e in tree.iter() if "style" in e.attrs]  # the CSP forbids them
    # Today tells the coordinator, naming the new ones.
    today = parse(web.client.get("/today").text)
    line = next(
        a
        for a in today.iter("a")
        if a.attrs.get("href") == "/contingency" and a.text != "Contingency"
    )
    assert "single point" in line.text
    assert line.parent is not None
    assert f"Doctor {pools.lone}" in line.parent.text


def test_only_coordinators_open_and_run_it(web: WebApp) -> None:
    pools = POOL_STORES["pediatrics"](web.session_factory)
    queue = _queue(web)
    for role in ("resident", "faculty"):
        other: TestClient = web.client_as(role)
        assert other.get("/contingency").status_code == 403
        refused = other.post("/contingency", data={"version_id": str(pools.version_id)})
        assert refused.status_code == 403
    assert queue.sent == []
    nav = parse(web.client.get("/today").text)
    assert any(a.attrs.get("href") == "/contingency" for a in nav.iter("a"))


def test_bad_input_is_answered_on_the_page(web: WebApp) -> None:
    pools = POOL_STORES["pediatrics"](web.session_factory)
    queue = _queue(web)
    assert web.client.get("/contingency?version=999").status_code == 404
    assert web.client.get("/contingency?version=abc").status_code == 422
    page = web.client.get("/contingency")
    form = {
        "csrf_token": csrf_of(page),
        "version_id": str(pools.version_id),
        "start": "2030-01-01",
        "end": "2030-01-05",
    }
    refused = web.client.post("/contingency", data=form, follow_redirects=False)
    assert refused.status_code == 422
    assert "start" in refused.text
    no_token = web.client.post("/contingency", data={"version_id": str(pools.version_id)})
    assert no_token.status_code == 403
    assert queue.sent == []
    assert web.client.get("/contingency/jobs/999").status_code == 404
