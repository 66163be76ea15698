"""/schedule/edit and /schedule/changes: a coordinator opens a cell of the schedule view, checks
a change (findings in words, who could take a cleared shift), saves it with the revision the
check answered, sees it in the history and undoes it. Residents and faculty never see the
controls and are refused the routes. On the demo and the pediatrics-like program."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import httpx2
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from resched.db.repositories import PeopleRepository
from resched.db.tables import ScheduleChangeRow, ShiftAssignmentRow, ShiftTypeRow, UserRole
from tests.api.test_changes_api import draft_copy
from tests.today_data import DUTY_STORES, Duties
from tests.web.conftest import WebApp
from tests.web.htmlcheck import parse
from tests.web.test_sign_in import csrf_of

pytestmark = pytest.mark.db


@pytest.fixture(params=sorted(DUTY_STORES))
def duties(web: WebApp, request: pytest.FixtureRequest) -> Duties:
    store: Callable[..., Duties] = DUTY_STORES[request.param]
    stored = store(web.session_factory)
    _today(web, stored.day - dt.timedelta(days=30))
    return stored


def _today(web: WebApp, day: dt.date) -> None:
    noon = dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)
    web.app.state.clock = lambda: noon


def _code(web: WebApp, person_id: int) -> str:
    with web.session_factory() as session:
        return next(p.code for p in PeopleRepository(session).in_year(0) if p.id == person_id)


def _shift(duties: Duties) -> str:
    return "WARD" if duties.zone.key == "America/Chicago" else "DAY"


def _holders(web: WebApp, duties: Duties, version: int | None = None) -> set[int]:
    """Who holds the day shift of the day, in ``version`` (default: the published one)."""
    with web.session_factory() as session:
        return set(
            session.scalars(
                select(ShiftAssignmentRow.person_id)
                .join(ShiftTypeRow, ShiftTypeRow.id == ShiftAssignmentRow.shift_type_id)
                .where(
                    ShiftAssignmentRow.version_id == (version or duties.plan.version_id),
                    ShiftAssignmentRow.day == duties.day,
                    ShiftTypeRow.code == _shift(duties),
                )
            )
        )


def _changes(web: WebApp) -> int:
    with web.session_factory() as session:
        return session.scalar(select(func.count()).select_from(ScheduleChangeRow)) or 0


def _panel_url(web: WebApp, duties: Duties, person_id: int) -> str:
    version, day = duties.plan.version_id, duties.day.isoformat()
    return f"/schedule/edit?version={version}&person={_code(web, person_id)}&day={day}"


def _post(client: TestClient, web: WebApp, duties: Duties, **fields: str) -> httpx2.Response:
    token = csrf_of(client.get(_panel_url(web, duties, duties.day_shift)))
    data = {
        "csrf_token": token,
        "version": str(duties.plan.version_id),
        "person": _code(web, duties.day_shift),
        "day": duties.day.isoformat(),
        "clear": _shift(duties),
        **fields,
    }
    return client.post("/schedule/edit", data=data, follow_redirects=False)


def test_the_cells_open_the_edit_panel_for_coordinators_only(web: WebApp, duties: Duties) -> None:
    week = f"/schedule?view=week&date={duties.day.isoformat()}"
    coordinator = web.client.get(week)
    assert coordinator.status_code == 200
    links = [a.attrs["href"] for a in parse(coordinator.text).iter("a") if "href" in a.attrs]
    assert _panel_url(web, duties, duties.day_shift) in links
    panel = web.client.get(_panel_url(web, duties, duties.day_shift))
    assert panel.status_code == 200
    boxes = [i for i in parse(panel.text).iter("input") if i.attrs.get("name") == "clear"]
    assert [b.attrs["value"] for b in boxes] == [_shift(duties)]
    fragment = web.client.get(
        _panel_url(web, duties, duties.day_shift), headers={"HX-Request": "true"}
    )
    assert "<html" not in fragment.text
    assert 'id="shift-editor-panel"' in fragment.text
    for role in (UserRole.RESIDENT, UserRole.FACULTY):
        member = web.client_as(role)
        page = member.get(week)
        assert page.status_code == 200
        assert "/schedule/edit" not in page.text
        assert "/schedule/changes" not in page.text
        assert member.get(_panel_url(web, duties, duties.day_shift)).status_code == 403
        assert member.get(f"/schedule/changes?version={duties.plan.version_id}").status_code == 403


def test_check_shows_the_findings_and_who_could_take_the_shift(web: WebApp, duties: Duties) -> None:
    response = _post(web.client, web, duties, action="check")
    assert response.status_code == 200, response.text
    page = parse(response.text)
    assert "What this change does" in page.text
    hidden = [i for i in page.iter("input") if i.attrs.get("name") == "expected_revision"]
    assert [h.attrs["value"] for h in hidden] == ["0"]
    give = [b for b in page.iter("button") if b.attrs.get("name") == "give_to"]
    assert give
    assert _code(web, duties.day_shift) not in {b.attrs["value"] for b in give}
    assert _changes(web) == 0


def test_save_returns_to_the_view_with_undo_and_undo_restores(web: WebApp, duties: Duties) -> None:
    taker = _code(web, duties.older_night)
    saved = _post(web.client, web, duties, action="save", expected_revision="0", give_to=taker)
    assert saved.status_code == 303, saved.text
    location = saved.headers["location"]
    assert _holders(web, duties) >= {duties.older_night}
    assert duties.day_shift not in _holders(web, duties)
    view = web.client.get(location)
    undo = re.search(r'action="(/schedule/changes/\d+/undo)"', view.text)
    assert undo is not None
    history = web.client.get(f"/schedule/changes?version={duties.plan.version_id}")
    assert history.status_code == 200
    assert "now on" in history.text
    assert "no longer on" in history.text
    assert undo.group(1) in history.text
    token = csrf_of(history)
    back = web.client.post(undo.group(1), data={"csrf_token": token}, follow_redirects=False)
    assert back.status_code == 303, back.text
    assert duties.day_shift in _holders(web, duties)
    assert duties.older_night not in _holders(web, duties)
    after = web.client.get(back.headers["location"])
    assert "The change was undone." in after.text
    assert undo.group(1) not in after.text  # undone: no second Undo button


def test_a_stale_revision_shows_the_new_check_and_writes_nothing(
    web: WebApp, duties: Duties
) -> None:
    response = _post(web.client, web, duties, action="save", expected_revision="7")
    assert response.status_code == 409
    page = parse(response.text)
    assert "The schedule changed" in page.text
    hidden = [i for i in page.iter("input") if i.attrs.get("name") == "expected_revision"]
    assert [h.attrs["value"] for h in hidden] == ["0"]
    assert _changes(web) == 0
    assert duties.day_shift in _holders(web, duties)


def test_a_frozen_day_asks_for_an_override(web: WebApp, duties: Duties) -> None:
    _today(web, duties.day - dt.timedelta(days=1))
    panel = parse(web.client.get(_panel_url(web, duties, duties.day_shift)).text)
    assert panel.by_id("edit-override-reason") is not None
    refused = _post(web.client, web, duties, action="save", expected_revision="0")
    assert refused.status_code == 422
    assert "freeze horizon" in refused.text
    assert _changes(web) == 0
    saved = _post(
        web.client, web, duties, action="save", expected_revision="0", override_reason="sick_call"
    )
    assert saved.status_code == 303, saved.text
    history = web.client.get(f"/schedule/changes?version={duties.plan.version_id}")
    assert "Sick call" in history.text


def test_undo_is_refused_in_words_when_a_later_change_depends_on_it(
    web: WebApp, duties: Duties
) -> None:
    taker = _code(web, duties.older_night)
    first = _post(web.client, web, duties, action="save", expected_revision="0", give_to=taker)
    first_id = re.search(r"change=(\d+)", first.headers["location"])
    assert first_id is not None
    token = csrf_of(web.client.get(_panel_url(web, duties, duties.older_night)))
    second = web.client.post(
        "/schedule/edit",
        data={
            "csrf_token": token,
            "version": str(duties.plan.version_id),
            "person": taker,
            "day": duties.day.isoformat(),
            "clear": _shift(duties),
            "action": "save",
            "expected_revision": "1",
        },
        follow_redirects=False,
    )
    assert second.status_code == 303, second.text
    refused = web.client.post(
        f"/schedule/changes/{first_id.group(1)}/undo",
        data={"csrf_token": token},
        follow_redirects=False,
    )
    assert refused.status_code == 409
    assert "since then changed the same people" in refused.text
    assert _changes(web) == 2


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("person=nobody&day={day}", 404),
        ("person={person}&day=yesterday", 422),
        ("person={person}&day=2031-01-01", 422),
        ("person={person}&day={day}&version=x", 422),
    ],
)
def test_bad_input_is_refused_naming_it(
    web: WebApp, duties: Duties, query: str, status: int
) -> None:
    asked = query.format(day=duties.day.isoformat(), person=_code(web, duties.day_shift))
    version = "" if "version=" in asked else f"version={duties.plan.version_id}&"
    response = web.client.get(f"/schedule/edit?{version}{asked}")
    assert response.status_code == status, response.text
    unknown = _post(web.client, web, duties, action="save", expected_revision="0", add="NOPE")
    assert unknown.status_code == 404
    assert "NOPE" in unknown.text
    assert _changes(web) == 0


def test_a_draft_is_edited_without_an_override_and_the_view_stays_on_it(
    web: WebApp, duties: Duties
) -> None:
    _today(web, duties.day - dt.timedelta(days=1))  # frozen, were it published
    draft = draft_copy(web.session_factory, duties.plan.version_id)
    person, day = _code(web, duties.day_shift), duties.day.isoformat()
    url = f"/schedule/edit?version={draft}&person={person}&day={day}"
    panel = web.client.get(url)
    assert f"draft #{draft}" in panel.text
    assert parse(panel.text).by_id("edit-override-reason") is None
    data = {
        "csrf_token": csrf_of(panel),
        "version": str(draft),
        "person": person,
        "day": day,
        "clear": _shift(duties),
        "action": "save",
        "expected_revision": "0",
    }
    saved = web.client.post("/schedule/edit", data=data, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    assert f"version={draft}" in saved.headers["location"]
    assert duties.day_shift not in _holders(web, duties, draft)
    assert duties.day_shift in _holders(web, duties)  # the published version is untouched
    history = web.client.get(f"/schedule/changes?version={draft}")
    assert "no longer on" in history.text
