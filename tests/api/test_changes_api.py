"""/schedules/{id}/changes and /changes/{id}/undo on the demo and the pediatrics-like program:
preview, apply with the revision the preview answered, refusals that name what is wrong and
write nothing (stale revision, frozen day without an override, a broken rule, bad input),
history, exact undo, and who may do it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from resched.core.model import ScheduleStatus
from resched.db.repositories import PeopleRepository
from resched.db.repositories.schedule import ScheduleVersionRepository
from resched.db.tables import (
    AuditEventRow,
    ScheduleChangeRow,
    ScheduleVersionRow,
    ShiftAssignmentRow,
)
from tests.api.conftest import ClientAs, error_fields
from tests.today_data import DUTY_STORES, Duties, version_rows

pytestmark = pytest.mark.db
Factory = sessionmaker[Session]


@pytest.fixture(params=sorted(DUTY_STORES))
def duties(request: pytest.FixtureRequest, session_factory: Factory, app: FastAPI) -> Duties:
    store: Callable[[Factory], Duties] = DUTY_STORES[request.param]
    stored = store(session_factory)
    _set_today(app, stored.day - dt.timedelta(days=30))  # the day is far outside the horizon
    return stored


def _set_today(app: FastAPI, today: dt.date) -> None:
    noon = dt.datetime(today.year, today.month, today.day, 12, tzinfo=dt.UTC)
    app.state.clock = lambda: noon


def _code(factory: Factory, person_id: int) -> str:
    with factory() as session:
        return next(p.code for p in PeopleRepository(session).in_year(0) if p.id == person_id)


def _shift(duties: Duties) -> str:
    return "WARD" if duties.zone.key == "America/Chicago" else "DAY"


def _handover(factory: Factory, duties: Duties) -> dict[str, Any]:
    """The day shift handed from its holder to a colleague with nothing on that day."""
    day, shift = duties.day.isoformat(), _shift(duties)
    return {
        "remove": [{"person": _code(factory, duties.day_shift), "day": day, "shift": shift}],
        "add": [{"person": _code(factory, duties.older_night), "day": day, "shift": shift}],
    }


def _changes(factory: Factory) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(ScheduleChangeRow)) or 0


def _url(duties: Duties, tail: str = "") -> str:
    return f"schedules/{duties.plan.version_id}/changes{tail}"


def test_preview_then_apply_then_history(
    client: TestClient, duties: Duties, session_factory: Factory
) -> None:
    change = _handover(session_factory, duties)
    preview = client.post(_url(duties, "/preview"), json=change)
    assert preview.status_code == 200, preview.text
    seen = preview.json()
    assert (seen["revision"], seen["published"], seen["frozen"], seen["violations"]) == (
        0,
        True,
        [],
        0,
    )
    assert all(f["message"] for f in seen["created"] + seen["cleared"])

    applied = client.post(_url(duties), json={**change, "expected_revision": 0})
    assert applied.status_code == 201, applied.text
    body = applied.json()
    assert (body["revision"], body["kind"]) == (1, "edit")
    assert [(i["op"], i["person"]) for i in body["items"]] == [
        ("remove", change["remove"][0]["person"]),
        ("add", change["add"][0]["person"]),
    ]
    shift = (duties.day, _shift(duties))
    holders = {
        p
        for p, d, c, _, _ in version_rows(session_factory, duties.plan.version_id)
        if (d, c) == shift
    }
    assert duties.older_night in holders
    assert duties.day_shift not in holders

    history = client.get(_url(duties))
    assert history.status_code == 200, history.text
    listed = history.json()
    assert listed["total"] == 1
    assert listed["items"][0]["id"] == body["id"]
    assert listed["items"][0]["created_by"]


def test_a_stale_revision_is_a_conflict_and_writes_nothing(
    client: TestClient, duties: Duties, session_factory: Factory
) -> None:
    change = _handover(session_factory, duties)
    before = version_rows(session_factory, duties.plan.version_id)
    response = client.post(_url(duties), json={**change, "expected_revision": 5})
    assert response.status_code == 409, response.text
    assert "expected_revision" in error_fields(response)
    assert version_rows(session_factory, duties.plan.version_id) == before
    assert _changes(session_factory) == 0
    gone = {**change, "remove": [{**change["remove"][0], "shift": "NIGHT"}]}
    slot = client.post(_url(duties), json={**gone, "expected_revision": 0})
    assert slot.status_code == 409, slot.text
    assert "holds no NIGHT" in slot.json()["error"]["message"]
    assert _changes(session_factory) == 0


def test_a_frozen_day_needs_an_override_naming_the_field(
    client: TestClient, duties: Duties, session_factory: Factory, app: FastAPI
) -> None:
    _set_today(app, duties.day - dt.timedelta(days=2))
    asked = _handover(session_factory, duties)
    preview = client.post(_url(duties, "/preview"), json=asked).json()
    change = {**asked, "expected_revision": 0}
    assert preview["frozen"] == [duties.day.isoformat()]
    refused = client.post(_url(duties), json=change)
    assert refused.status_code == 422, refused.text
    assert "override" in error_fields(refused)
    other = client.post(_url(duties), json={**change, "override": {"reason": "other"}})
    assert other.status_code == 422
    assert "note" in other.json()["error"]["message"]
    assert _changes(session_factory) == 0
    bad = client.post(_url(duties), json={**change, "override": {"reason": "bored"}})
    assert bad.status_code == 422
    assert any("override" in f for f in error_fields(bad))
    ok = client.post(_url(duties), json={**change, "override": {"reason": "sick_call"}})
    assert ok.status_code == 201, ok.text
    assert ok.json()["override"] == "sick_call"
    with session_factory() as session:
        event = session.scalars(
            select(AuditEventRow).where(AuditEventRow.action == "change.edit")
        ).one()
    assert event.reason is not None
    assert "sick_call" in event.reason


def test_a_change_that_breaks_a_rule_is_refused_naming_the_finding(
    client: TestClient, duties: Duties, session_factory: Factory
) -> None:
    holder = _code(session_factory, duties.day_shift)
    shift = "CALL" if duties.zone.key == "America/Chicago" else "NIGHT"
    days = [(duties.day + dt.timedelta(days=k)).isoformat() for k in range(6)]
    add = [{"person": holder, "day": d, "shift": shift} for d in days]
    preview = client.post(_url(duties, "/preview"), json={"add": add}).json()
    assert preview["violations"] > 0
    refused = client.post(_url(duties), json={"add": add, "expected_revision": 0})
    assert refused.status_code == 422, refused.text
    details = refused.json()["error"]["details"]
    assert details["findings"]
    assert details["findings"][0]["message"] in refused.json()["error"]["message"]
    assert _changes(session_factory) == 0


def test_undo_restores_the_rows_exactly_and_only_once(
    client: TestClient, duties: Duties, session_factory: Factory
) -> None:
    before = version_rows(session_factory, duties.plan.version_id)
    change = _handover(session_factory, duties)
    applied = client.post(_url(duties), json={**change, "expected_revision": 0}).json()
    assert version_rows(session_factory, duties.plan.version_id) != before
    undo = client.post(f"changes/{applied['id']}/undo")
    assert undo.status_code == 201, undo.text
    assert (undo.json()["kind"], undo.json()["undoes_id"]) == ("undo", applied["id"])
    assert version_rows(session_factory, duties.plan.version_id) == before
    again = client.post(f"changes/{applied['id']}/undo", json={})
    assert again.status_code == 409
    assert "already undone" in again.json()["error"]["message"]


def test_undo_is_refused_when_a_later_change_depends_on_it(
    client: TestClient, duties: Duties, session_factory: Factory
) -> None:
    change = _handover(session_factory, duties)
    first = client.post(_url(duties), json={**change, "expected_revision": 0}).json()
    back = {"remove": change["add"], "expected_revision": 1}
    second = client.post(_url(duties), json=back)
    assert second.status_code == 201, second.text
    rows = version_rows(session_factory, duties.plan.version_id)
    refused = client.post(f"changes/{first['id']}/undo")
    assert refused.status_code == 409
    assert f"change {second.json()['id']} since then" in refused.json()["error"]["message"]
    assert version_rows(session_factory, duties.plan.version_id) == rows
    assert client.post("changes/99999/undo").status_code == 404


@pytest.mark.parametrize("role", ["resident", "faculty"])
def test_only_coordinators_change_schedules(
    client_as: ClientAs, duties: Duties, session_factory: Factory, role: str
) -> None:
    member = client_as(role)
    change = _handover(session_factory, duties)
    assert member.post(_url(duties, "/preview"), json=change).status_code == 403
    assert member.post(_url(duties), json={**change, "expected_revision": 0}).status_code == 403
    assert member.get(_url(duties)).status_code == 403
    assert member.post("changes/1/undo").status_code == 403
    assert _changes(session_factory) == 0


@pytest.mark.parametrize(
    ("slot", "status", "field"),
    [
        ({"person": "nobody"}, 404, "person"),
        ({"shift": "NOPE"}, 404, "shift"),
        ({"day": "2031-01-01"}, 422, "day"),
        ({"day": "tomorrow"}, 422, "day"),
        ({"day": "20261014"}, 422, "day"),
        ({"person": "bad code!"}, 422, "person"),
    ],
)
def test_bad_input_is_refused_naming_it_and_writes_nothing(
    client: TestClient,
    duties: Duties,
    session_factory: Factory,
    slot: dict[str, str],
    status: int,
    field: str,
) -> None:
    change = _handover(session_factory, duties)
    change["add"] = [{**change["add"][0], **slot}]
    before = version_rows(session_factory, duties.plan.version_id)
    for url, body in (
        (_url(duties, "/preview"), change),
        (_url(duties), {**change, "expected_revision": 0}),
    ):
        response = client.post(url, json=body)
        assert response.status_code == status, response.text
        assert any(field in f for f in error_fields(response)), response.text
    assert version_rows(session_factory, duties.plan.version_id) == before
    assert _changes(session_factory) == 0


def test_a_missing_revision_or_an_unknown_version_is_refused(
    client: TestClient, duties: Duties, session_factory: Factory
) -> None:
    change = _handover(session_factory, duties)
    missing = client.post(_url(duties), json=change)
    assert missing.status_code == 422
    assert any("expected_revision" in f for f in error_fields(missing))
    assert client.post("schedules/999/changes/preview", json=change).status_code == 404
    assert client.get("schedules/999/changes").status_code == 404
    empty = client.post(_url(duties, "/preview"), json={})
    assert empty.status_code == 422
    assert _changes(session_factory) == 0


def draft_copy(factory: Factory, version_id: int) -> int:
    """A draft of the same academic year holding a copy of the version's shifts."""
    with factory.begin() as session:
        year = session.get(ScheduleVersionRow, version_id).academic_year_id  # type: ignore[union-attr]
        draft = ScheduleVersionRepository(session).add(
            academic_year_id=year, label="copy", status=ScheduleStatus.DRAFT
        )
        rows = session.scalars(
            select(ShiftAssignmentRow).where(ShiftAssignmentRow.version_id == version_id)
        ).all()
        session.add_all(
            ShiftAssignmentRow(
                version_id=draft,
                person_id=r.person_id,
                day=r.day,
                shift_type_id=r.shift_type_id,
                source=r.source,
                locked=r.locked,
            )
            for r in rows
        )
    return draft


def test_a_draft_changes_without_a_freeze_horizon(
    client: TestClient, duties: Duties, session_factory: Factory, app: FastAPI
) -> None:
    _set_today(app, duties.day - dt.timedelta(days=1))  # frozen, were it published
    draft = draft_copy(session_factory, duties.plan.version_id)
    published = version_rows(session_factory, duties.plan.version_id)
    change = _handover(session_factory, duties)
    preview = client.post(f"schedules/{draft}/changes/preview", json=change).json()
    assert (preview["published"], preview["frozen"]) == (False, [])
    applied = client.post(f"schedules/{draft}/changes", json={**change, "expected_revision": 0})
    assert applied.status_code == 201, applied.text
    assert applied.json()["version_id"] == draft
    shift = (duties.day, _shift(duties))
    holders = {p for p, d, c, _, _ in version_rows(session_factory, draft) if (d, c) == shift}
    assert duties.older_night in holders
    assert version_rows(session_factory, duties.plan.version_id) == published  # the published stays


def test_undoing_a_change_on_frozen_days_needs_an_override(
    client: TestClient, duties: Duties, session_factory: Factory, app: FastAPI
) -> None:
    before = version_rows(session_factory, duties.plan.version_id)
    change = _handover(session_factory, duties)
    applied = client.post(_url(duties), json={**change, "expected_revision": 0}).json()
    _set_today(app, duties.day)  # the day is frozen now
    refused = client.post(f"changes/{applied['id']}/undo")
    assert refused.status_code == 422, refused.text
    assert "override" in error_fields(refused)
    assert _changes(session_factory) == 1
    undone = client.post(
        f"changes/{applied['id']}/undo",
        json={"override": {"reason": "other", "note": "entered on the wrong day"}},
    )
    assert undone.status_code == 201, undone.text
    assert undone.json()["override"] == "other"
    assert version_rows(session_factory, duties.plan.version_id) == before
