"""/notifications (one's own inbox: paged, the unread filter and count, read marks; another
user's notice is a 404) and /outbox (administrators only: 403 for everyone else)."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from resched.core.changes.kinds import NoticeKind
from resched.db.tables import MailOutboxRow, NotificationRow, UserRole
from resched.services.notices import notify_users, queue_mail
from tests.accounts import add_user, api_client

pytestmark = pytest.mark.db
Factory = sessionmaker[Session]
NOW = dt.datetime(2026, 10, 14, 9, tzinfo=dt.UTC)


def _notify(factory: Factory, user_id: int, *titles: str) -> list[int]:
    with factory.begin() as session:
        for title in titles:
            notify_users(
                session,
                user_ids=[user_id],
                kind=NoticeKind.REQUEST_DECIDED,
                title=title,
                body="Approved",
                link="/requests",
            )
        found = session.scalars(
            select(NotificationRow.id)
            .where(NotificationRow.user_id == user_id)
            .order_by(NotificationRow.id)
        )
        return list(found)


@pytest.fixture
def clocked(app: FastAPI) -> FastAPI:
    app.state.clock = lambda: NOW
    return app


def _client(app: FastAPI, role: UserRole) -> tuple[int, TestClient]:
    user_id = add_user(app.state.session_factory, role)
    return user_id, api_client(app, user_id)


def test_one_reads_and_marks_only_ones_own_notices(clocked: FastAPI) -> None:
    factory = clocked.state.session_factory
    me, client = _client(clocked, UserRole.RESIDENT)
    other, _ = _client(clocked, UserRole.RESIDENT)
    mine = _notify(factory, me, "first", "second", "third")
    theirs = _notify(factory, other, "not yours")

    listed = client.get("notifications", params={"limit": 2}).json()
    assert [n["id"] for n in listed["items"]] == [mine[2], mine[1]]  # newest first
    assert (listed["total"], listed["unread"], listed["limit"]) == (3, 3, 2)
    assert listed["items"][0]["kind"] == "request_decided"
    assert listed["items"][0]["read_at"] is None

    read = client.post(f"notifications/{mine[0]}/read")
    assert read.status_code == 200
    assert read.json()["read_at"] == "2026-10-14T09:00:00Z"
    refused = client.post(f"notifications/{theirs[0]}/read")
    assert refused.status_code == 404
    assert refused.json()["error"]["code"] == "not_found"

    unread = client.get("notifications", params={"unread": "true"}).json()
    assert [n["id"] for n in unread["items"]] == [mine[2], mine[1]]
    assert unread["unread"] == 2

    assert client.post("notifications/read-all").json() == {"marked": 2}
    assert client.get("notifications").json()["unread"] == 0
    with factory() as session:
        still = session.scalar(
            select(NotificationRow.read_at).where(NotificationRow.id == theirs[0])
        )
    assert still is None


def test_bad_ids_and_filters_are_refused_without_a_500(clocked: FastAPI) -> None:
    _, client = _client(clocked, UserRole.FACULTY)
    assert client.post("notifications/0/read").status_code == 422
    assert client.post("notifications/99999999999/read").status_code == 422
    assert client.get("notifications", params={"unread": "maybe"}).status_code == 422
    assert client.get("notifications", params={"limit": 0}).status_code == 422


@pytest.mark.parametrize("role", [UserRole.COORDINATOR, UserRole.FACULTY, UserRole.RESIDENT])
def test_the_outbox_is_for_administrators(clocked: FastAPI, role: UserRole) -> None:
    _, client = _client(clocked, role)
    response = client.get("outbox")
    assert response.status_code == 403
    assert "cannot read the outgoing mail" in response.json()["error"]["message"]


def test_an_administrator_reads_the_outbox_filtered(clocked: FastAPI) -> None:
    factory = clocked.state.session_factory
    with factory.begin() as session:
        queue_mail(session, to=["a@example.org", "b@example.org"], subject="Hello", body="x")
        first = session.scalars(select(MailOutboxRow).order_by(MailOutboxRow.id)).first()
        assert first is not None
        first.sent_at, first.attempts = NOW, 1
    _, admin = _client(clocked, UserRole.ADMIN)

    every = admin.get("outbox").json()
    unsent = admin.get("outbox", params={"status": "unsent"}).json()
    sent = admin.get("outbox", params={"status": "sent"}).json()

    assert [m["to_address"] for m in every["items"]] == ["b@example.org", "a@example.org"]
    assert [m["to_address"] for m in unsent["items"]] == ["b@example.org"]
    assert [(m["to_address"], m["attempts"], m["sent_at"]) for m in sent["items"]] == [
        ("a@example.org", 1, "2026-10-14T09:00:00Z")
    ]
    assert admin.get("outbox", params={"status": "lost"}).status_code == 422
