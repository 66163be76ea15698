"""The schedule kind of the import wizard: a schedule's CSV export and its Excel grid come in as
a new draft (preview first, nothing written), undo deletes the draft, and an undo once the
draft was published is refused with the reason; on the demo and the pediatrics program."""

from __future__ import annotations

import datetime as dt

import httpx2
import pytest
from sqlalchemy import select, update

from resched.db.tables import ScheduleVersionRow
from resched.services.calendar_feed.csv_export import assignments_csv
from resched.services.exports.shift_grid import shift_grid_xlsx
from tests.import_data import data_rows
from tests.schedule_data import publish
from tests.schedule_file_data import PROGRAMS, store_program, store_schedule, version_triples
from tests.web.conftest import WebApp
from tests.web.test_sign_in import csrf_of

pytestmark = pytest.mark.db
START = dt.date(2026, 7, 1)
DAYS = 14


def _upload(web: WebApp, name: str, data: bytes) -> str:
    page = web.client.get("/import")
    assert "Schedule (as a new draft)" in page.text
    answer = web.client.post(
        "/import",
        data={"kind": "schedule", "csrf_token": csrf_of(page)},
        files={"file": (name, data)},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    return str(answer.headers["location"])


def _post(web: WebApp, url: str, page: httpx2.Response) -> httpx2.Response:
    answer = web.client.post(url, data={"csrf_token": csrf_of(page)}, follow_redirects=True)
    assert answer.status_code == 200
    return answer


def _new_version(web: WebApp, before: set[int]) -> int:
    (new,) = _versions(web) - before
    return new


def _versions(web: WebApp) -> set[int]:
    with web.session_factory() as session:
        return set(session.scalars(select(ScheduleVersionRow.id)))


@pytest.mark.parametrize("program", PROGRAMS)
@pytest.mark.parametrize("file_kind", ["csv", "xlsx"])
def test_a_schedule_file_becomes_a_draft_and_undo_removes_it(
    program: str, file_kind: str, web: WebApp, database_url: str
) -> None:
    store_program(web.session_factory, program)
    original = store_schedule(web.session_factory, START, DAYS)
    if file_kind == "csv":
        data, name = (
            assignments_csv(factory=web.session_factory, version_id=original).text.encode(),
            "s.csv",
        )
    else:
        end = START + dt.timedelta(days=DAYS - 1)
        exported = shift_grid_xlsx(
            factory=web.session_factory, version_id=original, start=START, end=end
        )
        data, name = exported.content, exported.filename
    before_rows, before_versions = data_rows(database_url), _versions(web)
    location = _upload(web, name, data)
    preview = web.client.get(location)
    assert "Step 2 of 3" in preview.text
    assert f"{START.isoformat()} to" in preview.text
    assert data_rows(database_url) == before_rows  # the preview wrote no schedule
    result = _post(web, f"{location}/apply", preview)
    assert "The import was applied." in result.text
    draft = _new_version(web, before_versions)
    assert version_triples(web.session_factory, draft) == version_triples(
        web.session_factory, original
    )
    undone = _post(web, f"{location}/undo", result)
    assert "The import was undone" in undone.text
    assert _versions(web) == before_versions


def test_undo_is_refused_once_the_draft_is_published(web: WebApp) -> None:
    store_program(web.session_factory, "demo")
    original = store_schedule(web.session_factory, START, DAYS)
    data = assignments_csv(factory=web.session_factory, version_id=original).text.encode()
    before = _versions(web)
    location = _upload(web, "s.csv", data)
    result = _post(web, f"{location}/apply", web.client.get(location))
    draft = _new_version(web, before)
    publish(web.session_factory, draft)
    refused = web.client.post(
        f"{location}/undo", data={"csrf_token": csrf_of(result)}, follow_redirects=True
    )
    assert "no longer a draft" in refused.text
    assert draft in _versions(web)


def test_undo_is_refused_once_the_draft_was_edited(web: WebApp) -> None:
    store_program(web.session_factory, "pediatrics")
    original = store_schedule(web.session_factory, START, DAYS)
    data = assignments_csv(factory=web.session_factory, version_id=original).text.encode()
    before = _versions(web)
    location = _upload(web, "s.csv", data)
    result = _post(web, f"{location}/apply", web.client.get(location))
    draft = _new_version(web, before)
    with web.session_factory() as session, session.begin():  # as a change set would
        session.execute(
            update(ScheduleVersionRow).where(ScheduleVersionRow.id == draft).values(revision=1)
        )
    refused = web.client.post(
        f"{location}/undo", data={"csrf_token": csrf_of(result)}, follow_redirects=True
    )
    assert refused.status_code == 409
    assert f"Draft {draft} was edited after the import" in refused.text
    assert draft in _versions(web)
