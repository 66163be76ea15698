"""Calendar subscription from My schedule: a secret address made (shown once), fetched
without a session, revoked; stored hashed and audited without the token; unknown and revoked
tokens are the same 404; and the CSV of a version's assignments from the API. On the demo
and the pediatrics-like program."""

from __future__ import annotations

import re
from typing import Any

import httpx2
import icalendar
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from resched.db.tables import AuditEventRow, CalendarFeedTokenRow, UserRole
from resched.services.auth.tokens import digest
from resched.services.calendar_feed.limits import MISSES
from tests.accounts import access_token, add_user
from tests.today_data import DUTY_STORES, Duties
from tests.web.conftest import WebApp
from tests.web.htmlcheck import parse
from tests.web.test_sign_in import csrf_of

pytestmark = pytest.mark.db
FEED = re.compile(r'value="(https?://[^"]+/calendar/([A-Za-z0-9_-]+)\.ics)"')


@pytest.fixture(params=sorted(DUTY_STORES))
def duties(web: WebApp, request: pytest.FixtureRequest) -> Duties:
    stored = DUTY_STORES[request.param](web.session_factory)
    web.app.state.clock = lambda: stored.at(6, 30)
    return stored


def _post(client: TestClient, path: str, **data: Any) -> httpx2.Response:
    token = csrf_of(client.get("/me"))
    return client.post(path, data={"csrf_token": token, **data}, follow_redirects=False)


def _subscribe(client: TestClient) -> tuple[str, str]:
    response = _post(client, "/me/calendar")
    assert response.status_code == 200
    found = FEED.search(response.text)
    assert found, "the new address is on the page"
    assert f'value="webcal://{found[1].split("://", 1)[1]}"' in response.text
    return found[1], found[2]


def _uids(body: bytes) -> set[str]:
    return {str(e["uid"]) for e in icalendar.Calendar.from_ical(body).walk("VEVENT")}


def test_subscribe_fetch_without_session_and_revoke(web: WebApp, duties: Duties) -> None:
    resident = web.client_as(UserRole.RESIDENT, person_id=duties.night_before, username="rae")
    page = parse(resident.get("/me").text)
    section = page.by_id("my-calendar-title")
    assert section is not None
    assert "No calendar feed yet" in resident.get("/me").text
    url, token = _subscribe(resident)
    feed = web.anonymous.get(f"/calendar/{token}.ics")
    assert feed.status_code == 200
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    assert feed.headers["content-disposition"] == 'inline; filename="resched-shifts.ics"'
    uids = _uids(feed.content)
    assert uids
    assert all("NIGHT" in uid for uid in uids)
    # Stored as its digest only; audited without it; the page no longer shows it.
    with web.session_factory() as session:
        rows = list(session.scalars(select(CalendarFeedTokenRow)))
        assert [r.token_hash for r in rows] == [digest(token)]
        assert rows[0].last_used_at is not None
        events = list(session.scalars(select(AuditEventRow)))
    audited = [e for e in events if e.entity == "calendar_feed_token"]
    assert [e.action for e in audited] == ["create"]
    assert all(token not in repr(vars(e)) for e in events)
    again = resident.get("/me").text
    assert token not in again
    assert "A calendar feed is active" in again
    assert "last fetched" in again
    # Revoked: the same 404 as an unknown token.
    assert _post(resident, "/me/calendar/revoke").status_code == 200
    assert web.anonymous.get(f"/calendar/{token}.ics").status_code == 404
    assert web.anonymous.get("/calendar/" + "x" * 43 + ".ics").status_code == 404
    assert web.anonymous.get("/calendar/bad%22name.ics").status_code in {404, 422}
    assert url.startswith("http")


def test_a_new_address_replaces_the_old_and_feeds_are_per_user(web: WebApp, duties: Duties) -> None:
    first = web.client_as(UserRole.RESIDENT, person_id=duties.night_before)
    other = web.client_as(UserRole.RESIDENT, person_id=duties.day_shift)
    _, old = _subscribe(first)
    _, new = _subscribe(first)
    assert web.anonymous.get(f"/calendar/{old}.ics").status_code == 404
    _, theirs = _subscribe(other)
    mine = _uids(web.anonymous.get(f"/calendar/{new}.ics").content)
    their = _uids(web.anonymous.get(f"/calendar/{theirs}.ics").content)
    assert mine
    assert their
    assert not mine & their


def test_revoking_without_a_feed_is_a_clear_404(web: WebApp, duties: Duties) -> None:
    resident = web.client_as(UserRole.RESIDENT, person_id=duties.call)
    refused = _post(resident, "/me/calendar/revoke")
    assert refused.status_code == 404
    assert "no calendar feed to revoke" in refused.text


def test_the_csv_of_a_version_from_the_api(web: WebApp, duties: Duties) -> None:
    user = add_user(web.session_factory, UserRole.RESIDENT, person_id=duties.call)
    api = TestClient(web.app)
    api.headers["Authorization"] = f"Bearer {access_token(web.app, user)}"
    version = duties.plan.version_id
    response = api.get(
        f"/api/v1/schedules/{version}/assignments.csv",
        params={"start": duties.day.isoformat(), "end": duties.day.isoformat()},
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    disposition = response.headers["content-disposition"]
    assert re.fullmatch(r'attachment; filename="[A-Za-z0-9._-]+\.csv"', disposition)
    lines = response.text.splitlines()
    assert lines[0].startswith("date,person code,person name,shift code")
    assert all(line.startswith(duties.day.isoformat()) for line in lines[1:])
    assert len(lines) > 1
    bad = api.get(f"/api/v1/schedules/{version}/assignments.csv", params={"start": "soon"})
    assert bad.status_code == 422
    assert api.get("/api/v1/schedules/999999/assignments.csv").status_code == 404


def test_coordinators_download_the_shown_days_as_csv(web: WebApp, duties: Duties) -> None:
    day_view = f"/schedule?view=day&date={duties.day.isoformat()}"
    page = parse(web.client.get(day_view).text)
    links = [a.attrs["href"] for a in page.iter("a") if a.text.startswith("CSV")]
    assert len(links) == 1
    response = web.client.get(links[0])
    assert response.status_code == 200
    rows = response.text.splitlines()[1:]
    assert rows
    assert all(row.startswith(duties.day.isoformat()) for row in rows)
    resident = web.client_as(UserRole.RESIDENT, person_id=duties.call)
    assert "assignments.csv" not in resident.get(day_view).text


def test_the_program_feed_is_for_coordinators(web: WebApp, duties: Duties) -> None:
    feed = web.client.get("/api/v1/calendar/program.ics", params={"shift": "NIGHT"})
    assert feed.status_code == 200
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    disposition = feed.headers["content-disposition"]
    assert disposition == 'attachment; filename="program-shifts-NIGHT.ics"'
    uids = _uids(feed.content)
    assert uids
    assert all(uid.endswith("-NIGHT@resched") for uid in uids)
    unknown = web.client.get("/api/v1/calendar/program.ics", params={"rotation": "NOPE"})
    assert unknown.status_code == 404
    assert "rotation" in unknown.text
    resident = web.client_as(UserRole.RESIDENT, person_id=duties.call)
    assert resident.get("/api/v1/calendar/program.ics").status_code == 403


def test_guessing_addresses_is_slowed_down(web: WebApp, duties: Duties) -> None:
    resident = web.client_as(UserRole.RESIDENT, person_id=duties.night_before)
    _, token = _subscribe(resident)
    for _ in range(3):  # valid fetches use none of the budget
        assert web.anonymous.get(f"/calendar/{token}.ics").status_code == 200
    for n in range(MISSES):
        assert web.anonymous.get(f"/calendar/{'g' * 30}{n:04d}.ics").status_code == 404
    refused = web.anonymous.get(f"/calendar/{token}.ics")
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) > 0
