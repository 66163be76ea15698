"""The weekly fairness job as the beat submits it, and the checks an import job's parameters
pass at submission (the document is stored compressed, and refused when too large)."""

from __future__ import annotations

from typing import Any

import pytest

from resched.core.errors import Invalid
from resched.services import academic_years
from resched.services.fairness import today_of_program
from resched.services.jobs import list_jobs, submit_job
from resched.services.jobs.imports import pack_import, unpack_document
from resched.services.schedule_import import import_schedule
from resched.tasks import beat
from tests.job_helpers import RecordingQueue, inline_runtime, work_off
from tests.schedule_data import publish, store_program, troubled_doc

pytestmark = pytest.mark.db


def test_the_weekly_job_waits_for_a_published_schedule_and_runs_once_a_day(
    session_factory: Any, database_url: str
) -> None:
    runtime = inline_runtime(database_url, session_factory)
    queue = RecordingQueue()
    runtime.queue = queue  # type: ignore[assignment]
    store_program(session_factory)
    version = import_schedule(factory=session_factory, document=troubled_doc()).version
    assert beat.weekly_fairness(runtime) == "no published schedule"
    publish(session_factory, version.id)
    first = beat.weekly_fairness(runtime)
    assert beat.weekly_fairness(runtime) == first  # the same day's key: the same job
    assert [kind for _, kind in queue.sent] == ["fairness_report"]
    (job,) = list_jobs(factory=session_factory).items
    assert (job.parameters, job.idempotency_key is not None) == ({"as_of": None}, True)
    # The job reports the year to the program's today: it succeeds while today lies in the
    # stored year, and fails saying no year holds it otherwise.
    today = today_of_program(factory=session_factory)
    (year,) = academic_years.list_academic_years(factory=session_factory)
    expected = "succeeded" if year.start <= today <= year.end else "failed"
    assert work_off(runtime, queue) == [expected]


def test_an_import_document_is_stored_compressed_and_read_back_the_same() -> None:
    doc = troubled_doc()
    packed = pack_import({"document": doc, "label": "x"})
    assert packed["label"] == "x"
    assert packed["document"]["encoding"] == "zlib+base64"
    assert len(packed["document"]["data"]) < packed["document"]["bytes"]
    assert unpack_document(packed["document"]) == doc


@pytest.mark.parametrize(
    ("parameters", "field"),
    [
        ({}, "document"),
        ({"document": [1]}, "document"),
        ({"document": {}, "label": 3}, "label"),
        ({"document": {}, "label": "x" * 121}, "label"),
        ({"document": {"pad": "x" * (20 * 1024 * 1024)}}, "document"),
    ],
)
def test_bad_import_parameters_are_refused_at_submission(
    session_factory: Any, parameters: dict[str, Any], field: str
) -> None:
    queue = RecordingQueue()
    with pytest.raises(Invalid) as caught:
        submit_job(
            factory=session_factory,
            queue=queue,
            kind="import_interchange",
            parameters=parameters,
            actor=None,
            requested_by=None,
        )
    assert caught.value.details["field"] == field
    assert queue.sent == []
