"""The Generate page's "whole year": the choice in the form, one job, the per-block table of
gaps on the finished run's draft review, and an unknown year shown at its field."""

from __future__ import annotations

import httpx2
import pytest

from tests.generation_data import Tiny
from tests.job_helpers import RecordingQueue, inline_runtime, work_off
from tests.web.conftest import WebApp
from tests.web.htmlcheck import parse
from tests.year_data import BLOCKS, LABEL, store_short_year

pytestmark = pytest.mark.db
FORM = {"kind": "year", "year": LABEL, "time_limit": "600", "mode": "fresh", "seed": "1",
        "block": "", "start": "", "end": ""}  # fmt: skip


@pytest.fixture(name="tiny")
def _tiny(web: WebApp) -> Tiny:
    return store_short_year(web.session_factory)


@pytest.fixture(name="queue")
def _queue(web: WebApp) -> RecordingQueue:
    recorder = RecordingQueue()
    web.app.state.job_queue = recorder
    return recorder


def _submit(web: WebApp, **changes: str) -> httpx2.Response:
    page = parse(web.client.get("/generate").text)
    hidden = {
        i.attrs["name"]: i.attrs.get("value", "")
        for i in page.iter("input")
        if i.attrs.get("type") == "hidden"
    }
    return web.client.post("/generate", data=FORM | hidden | changes, follow_redirects=False)


def test_the_form_offers_the_whole_year(web: WebApp, tiny: Tiny) -> None:
    page = parse(web.client.get("/generate").text)
    kind = page.by_id("g-kind")
    assert kind is not None
    options = {o.attrs.get("value"): o.text for o in kind.iter("option")}
    assert "whole year" in options["year"]


def test_the_whole_year_runs_as_one_job_and_its_draft_shows_each_blocks_gap(
    web: WebApp, tiny: Tiny, queue: RecordingQueue, database_url: str
) -> None:
    started = _submit(web, mode="repair")  # the range's mode does not apply to the year
    assert started.status_code == 303, started.text
    run_path = started.headers["location"]
    run_id = int(run_path.rsplit("/", 1)[1])
    assert queue.sent == [(run_id, "generation")]

    assert work_off(inline_runtime(database_url, web.session_factory), queue) == ["succeeded"]
    done = web.client.get(f"{run_path}/progress", headers={"HX-Request": "true"})
    table = next(t for t in parse(done.text).iter("table") if "blocks" in t.attrs.get("class", ""))
    assert len(list(table.iter("tr"))) == BLOCKS + 1  # the header row and one per block
    draft = web.client.get(done.headers["HX-Redirect"])
    assert draft.status_code == 200
    review = parse(draft.text)
    table = next(t for t in review.iter("table") if "blocks" in t.attrs.get("class", ""))
    rows = [[c.text for c in r.iter("td")] for r in table.iter("tr")][1:]
    assert len(rows) == BLOCKS
    assert all(row[4].endswith("%") for row in rows)  # each block's gap
    # Each block's fairness: the widest spreads (calls, weekends, nights) and the call gap.
    assert all(len(row[6].split(", ")) == 3 for row in rows)
    assert all(row[7] == "\u2013" or row[7].endswith(" nights") for row in rows)


def test_an_unknown_year_is_shown_at_its_field(
    web: WebApp, tiny: Tiny, queue: RecordingQueue
) -> None:
    response = _submit(web, year="1999")
    assert response.status_code == 422
    error = parse(response.text).by_id("g-year-error")
    assert error is not None
    assert "no academic year 1999" in error.text
    assert queue.sent == []
