"""Approve and Deny on /absences go through the leave decision, as the Leave queue's do: on the
demo and the pediatrics-like program, a request whose resident still holds a published shift
on those days is not approved without a reason (422, the service's words, the way to the Leave
queue's repair, nothing written); with one it is, with who decided and the requester told. A
denial needs a reason. A decision moves the absence's version on, so an edit form opened
before it is refused (409) instead of saving the request back over the decision."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx2
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from resched.core.changes.kinds import NoticeKind
from resched.core.model import AbsenceStatus
from resched.db.tables import AbsenceRow, AuditEventRow, NotificationRow, UserRow
from tests.leave_data import request_leave, store_duties
from tests.today_data import DUTY_STORES, Duties
from tests.web.conftest import WebApp
from tests.web.htmlcheck import parse
from tests.web.test_sign_in import csrf_of

pytestmark = pytest.mark.db
Factory = sessionmaker[Session]
HTMX = {"HX-Request": "true"}


@pytest.fixture(params=sorted(DUTY_STORES))
def duties(request: pytest.FixtureRequest, web: WebApp) -> Duties:
    store = store_duties(request.param, web.session_factory)
    day = store.day - dt.timedelta(days=30)  # the program's today: a month before the leave
    web.app.state.clock = lambda: dt.datetime(day.year, day.month, day.day, 17, tzinfo=dt.UTC)
    return store


def _decide(
    client: TestClient, absence_id: int, headers: dict[str, str] | None = None, **data: Any
) -> httpx2.Response:
    token = csrf_of(client.get("/absences"))
    return client.post(
        f"/absences/{absence_id}/decision",
        data={"csrf_token": token, **data},
        headers=headers or {},
        follow_redirects=False,
    )


def _row(factory: Factory, absence_id: int) -> AbsenceRow:
    with factory() as session:
        row = session.get(AbsenceRow, absence_id)
        assert row is not None
        session.expunge(row)
        return row


def _user_id(factory: Factory, **where: Any) -> int:
    with factory() as session:
        found = session.scalars(select(UserRow.id).filter_by(**where)).one()
    return found


def _notices(factory: Factory, user_id: int) -> list[tuple[NoticeKind, str]]:
    with factory() as session:
        rows = session.scalars(
            select(NotificationRow)
            .where(NotificationRow.user_id == user_id)
            .order_by(NotificationRow.id)
        )
        return [(n.kind, n.body) for n in rows]


def _writes(factory: Factory) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(AuditEventRow)) or 0


def _requested(web: WebApp, duties: Duties) -> tuple[int, int]:
    """The leave of the resident whose night ran into ``duties.day`` (they still hold that
    night), and the requester's account."""
    web.client_as("resident", person_id=duties.night_before)
    requester = _user_id(web.session_factory, person_id=duties.night_before)
    return request_leave(web.session_factory, duties.night_before, duties.day), requester


def _unchanged(web: WebApp, leave: int, requester: int, before: AbsenceRow, writes: int) -> None:
    after = _row(web.session_factory, leave)
    assert (after.status, after.decided_by, after.row_version) == (
        AbsenceStatus.REQUESTED,
        None,
        before.row_version,
    )
    assert _notices(web.session_factory, requester) == []
    assert _writes(web.session_factory) == writes


def test_approving_while_shifts_are_held_needs_a_reason(web: WebApp, duties: Duties) -> None:
    leave, requester = _requested(web, duties)
    before, writes = _row(web.session_factory, leave), _writes(web.session_factory)

    refused = _decide(web.client, leave, HTMX, decision="approve", reason="  ")

    assert refused.status_code == 422
    row = parse(refused.text).by_id(f"absence-{leave}")
    assert row is not None
    words = row.by_id(f"absence-{leave}-refusal")
    assert words is not None
    assert words.attrs.get("role") == "alert"
    assert "still holds shifts on these days" in words.text
    assert "give a reason to leave them uncovered" in words.text
    assert f"/leave#leave-{leave}" in [a.attrs.get("href") for a in words.iter("a")]
    reason = row.by_id(f"absence-{leave}-reason")
    assert reason is not None
    assert reason.attrs.get("aria-invalid") == "true"
    assert f"absence-{leave}-refusal" in str(reason.attrs.get("aria-describedby"))
    assert "Requested" in row.text  # the buttons are still there to try again
    _unchanged(web, leave, requester, before, writes)

    # Without script: the list, the refusal at the top and in the row, nothing written.
    plain = _decide(web.client, leave, decision="approve")
    assert plain.status_code == 422
    assert "still holds shifts on these days" in plain.text
    assert parse(plain.text).by_id(f"absence-{leave}-refusal") is not None
    _unchanged(web, leave, requester, before, writes)

    approved = _decide(web.client, leave, HTMX, decision="approve", reason="Cover arranged")

    assert approved.status_code == 200, approved.text
    row = parse(approved.text).by_id(f"absence-{leave}")
    assert row is not None
    assert "Approved" in row.text
    assert "Approve" not in row.text.split()
    saved = _row(web.session_factory, leave)
    assert (saved.status, saved.decided_by, saved.decision_note) == (
        AbsenceStatus.APPROVED,
        _user_id(web.session_factory, username="chief"),
        "Cover arranged",
    )
    assert saved.decided_at is not None
    assert saved.row_version == before.row_version + 1
    ((kind, body),) = _notices(web.session_factory, requester)
    assert kind is NoticeKind.REQUEST_DECIDED
    assert "approved" in body
    assert "Reason: Cover arranged" in body


def test_denying_needs_a_reason(web: WebApp, duties: Duties) -> None:
    leave, requester = _requested(web, duties)
    before, writes = _row(web.session_factory, leave), _writes(web.session_factory)

    refused = _decide(web.client, leave, HTMX, decision="deny")

    assert refused.status_code == 422
    words = parse(refused.text).by_id(f"absence-{leave}-refusal")
    assert words is not None
    assert "Give a reason." in words.text
    _unchanged(web, leave, requester, before, writes)

    denied = _decide(web.client, leave, decision="deny", reason="Clinic is short that week")

    assert (denied.status_code, denied.headers["location"]) == (303, "/absences?notice=denied")
    saved = _row(web.session_factory, leave)
    assert (saved.status, saved.decided_by, saved.decision_note) == (
        AbsenceStatus.DENIED,
        _user_id(web.session_factory, username="chief"),
        "Clinic is short that week",
    )
    ((kind, body),) = _notices(web.session_factory, requester)
    assert kind is NoticeKind.REQUEST_DECIDED
    assert "denied" in body
    assert "Reason: Clinic is short that week" in body


def test_an_edit_form_opened_before_a_decision_is_refused(web: WebApp, duties: Duties) -> None:
    leave, _ = _requested(web, duties)
    form = parse(web.client.get(f"/absences/{leave}/edit").text)
    drawn = next(
        i.attrs["value"] for i in form.iter("input") if i.attrs.get("name") == "row_version"
    )
    assert _decide(web.client, leave, decision="deny", reason="Short").status_code == 303

    day = duties.day.isoformat()
    stale = web.client.post(
        f"/absences/{leave}",
        data={
            "csrf_token": csrf_of(web.client.get("/absences")),
            "row_version": drawn,
            "person_id": str(duties.night_before),
            "start": day,
            "end": day,
            "type": "vacation",
            "status": "requested",
            "note": "",
        },
        follow_redirects=False,
    )

    assert stale.status_code == 409
    assert _row(web.session_factory, leave).status is AbsenceStatus.DENIED


def test_the_edit_form_does_not_decide_a_request(web: WebApp, duties: Duties) -> None:
    leave, requester = _requested(web, duties)
    before, writes = _row(web.session_factory, leave), _writes(web.session_factory)
    page = web.client.get(f"/absences/{leave}/edit")
    assert f"/leave#leave-{leave}" in page.text  # where it is decided
    day = duties.day.isoformat()

    refused = web.client.post(
        f"/absences/{leave}",
        data={
            "csrf_token": csrf_of(page),
            "person_id": str(duties.night_before),
            "start": day,
            "end": day,
            "type": "vacation",
            "status": "approved",
            "note": "",
        },
        follow_redirects=False,
    )

    assert refused.status_code == 409
    error = parse(refused.text).by_id("absence-status-error")
    assert error is not None
    assert "leave decision" in error.text
    _unchanged(web, leave, requester, before, writes)
