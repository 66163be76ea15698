"""POST /generations with kind "year": the whole year as one background job - its blocks in
the progress while it runs and in the outcome at the end, one draft - and bad input (an unknown
year 404, a block or dates with the year 422) answered at once with nothing queued."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from resched.services.jobs import Claim, JobPolicy
from resched.services.jobs.runs import beat_job, claim_job
from tests.generation_data import Tiny
from tests.job_helpers import RecordingQueue, inline_runtime, work_off
from tests.solve_limits import SAFETY_S
from tests.year_data import BLOCKS, LABEL, store_short_year

pytestmark = pytest.mark.db
Factory = sessionmaker[Session]
YEAR = {"kind": "year", "year": LABEL, "time_limit_s": SAFETY_S, "num_workers": 2, "seed": 1}


@pytest.fixture(name="tiny")
def _tiny(session_factory: Factory) -> Tiny:
    return store_short_year(session_factory)


@pytest.fixture(name="queue")
def _queue(app: FastAPI) -> RecordingQueue:
    recorder = RecordingQueue()
    app.state.job_queue = recorder
    return recorder


def test_the_whole_year_is_one_job_reporting_each_block(
    client: TestClient, database_url: str, session_factory: Factory, queue: RecordingQueue,
    tiny: Tiny,
) -> None:  # fmt: skip
    started = client.post("generations", json=YEAR)
    assert started.status_code == 202, started.text
    run = started.json()
    assert run["kind"] == "year"
    assert run["parameters"]["blocks"] == BLOCKS
    assert queue.sent == [(run["id"], "generation")]

    assert work_off(inline_runtime(database_url, session_factory), queue) == ["succeeded"]
    done: dict[str, Any] = client.get(f"generations/{run['id']}").json()
    outcome = done["outcome"]
    assert outcome["kind"] == "year"
    assert outcome["version_id"] is not None
    blocks = outcome["blocks"]
    assert [b["number"] for b in blocks] == list(range(1, BLOCKS + 1))
    assert all(b["gap"] is not None and b["bound"] is not None for b in blocks)
    assert done["progress"]["blocks"] == blocks
    stored = client.get(f"schedules/{outcome['version_id']}/generation").json()
    assert stored["blocks"] == blocks


def test_finished_blocks_show_in_the_progress_while_the_year_runs(
    client: TestClient, session_factory: Factory, queue: RecordingQueue, tiny: Tiny
) -> None:
    run_id = client.post("generations", json=YEAR).json()["id"]
    claim = claim_job(factory=session_factory, job_id=run_id, worker="w", policy=JobPolicy())
    assert isinstance(claim, Claim)
    block = {"number": 1, "start": "2026-07-01", "end": "2026-07-07", "status": "optimal",
             "objective": 3.0, "bound": 3.0, "gap": 0.0, "seconds": 0.2,
             "spreads": {"calls": 1, "weekends": 0, "nights": 0, "holidays": 0},
             "shortest_call_gap": 3}  # fmt: skip
    beat_job(
        factory=session_factory, claim=claim, progress=0.3, message="Block 1 done (1 of 4).",
        details={"blocks": [block], "blocks_done": 1, "blocks_total": BLOCKS},
    )  # fmt: skip
    running = client.get(f"generations/{run_id}").json()
    assert running["state"] == "running"
    assert running["progress"]["blocks"] == [block]


@pytest.mark.parametrize(
    ("changes", "status", "words"),
    [
        ({"year": "1999"}, 404, "there is no academic year 1999"),
        ({"block": 1}, 422, "takes no block or dates"),
        ({"start": "2026-07-01", "end": "2026-07-07"}, 422, "takes no block or dates"),
        ({"mode": "repair"}, 422, "generated fresh"),
        ({"time_limit_s": 0}, 422, "time_limit_s"),
    ],
)
def test_bad_year_input_is_answered_at_once(
    client: TestClient, queue: RecordingQueue, tiny: Tiny,
    changes: dict[str, Any], status: int, words: str,
) -> None:  # fmt: skip
    response = client.post("generations", json=YEAR | changes)
    assert response.status_code == status, response.text
    assert words in response.text
    assert queue.sent == []
