"""Sending the outbox to a real (fake, local) SMTP server: what arrives, what is recorded on
each mail, failures and their retries, and that no password ever reaches ``last_error``."""

from __future__ import annotations

import datetime as dt
import socket

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from resched.db.tables import MailOutboxRow
from resched.services.notices import queue_mail
from resched.services.notices.delivery import (
    MAX_ATTEMPTS,
    RETRY_BASE,
    Delivery,
    SmtpConfig,
    absolute_links,
    send_outbox,
)
from tests.fake_smtp import Mailbox, fake_smtp

pytestmark = pytest.mark.db
Factory = sessionmaker[Session]
SECRET = "s3cret-Passw0rd"


def _queue(factory: Factory, *to: str, body: str = "Your shifts changed.\n\n/me") -> dt.datetime:
    """Mails to ``to``; returns a moment just after they were queued."""
    with factory.begin() as session:
        queue_mail(session, to=to, subject="Your shifts changed", body=body)
    with factory() as session:
        latest = max(session.scalars(select(MailOutboxRow.created_at)))
    return latest + dt.timedelta(seconds=1)


def _rows(factory: Factory) -> dict[str, tuple[dt.datetime | None, int, str]]:
    with factory() as session:
        rows = session.scalars(select(MailOutboxRow)).all()
        return {r.to_address: (r.sent_at, r.attempts, r.last_error) for r in rows}


def _config(port: int, **extra: object) -> SmtpConfig:
    values: dict[str, object] = {
        "host": "127.0.0.1",
        "port": port,
        "sender": "schedule@hospital.example",
        "starttls": False,
        "public_url": "https://schedule.hospital.example",
        "timeout": 5.0,
        **extra,
    }
    return SmtpConfig(**values)  # type: ignore[arg-type]


def test_unsent_mail_is_sent_once_with_absolute_links(session_factory: Factory) -> None:
    now = _queue(session_factory, "ana@example.org", "ben@example.org")
    box = Mailbox(username="resched", password=SECRET)
    with fake_smtp(box) as port:
        config = _config(port, username="resched", password=SECRET)
        first = send_outbox(factory=session_factory, config=config, now=now)
        again = send_outbox(factory=session_factory, config=config, now=now, retry_now=True)

    assert (first, again) == (Delivery(2, 0), Delivery(0, 0))
    assert box.logins == ["resched"]
    assert sorted(r.recipients[0] for r in box.received) == ["ana@example.org", "ben@example.org"]
    message = box.received[0].message
    assert message["From"] == "schedule@hospital.example"
    assert message["Subject"] == "Your shifts changed"
    assert message.get_payload(decode=True).decode().splitlines() == [  # type: ignore[union-attr]
        "Your shifts changed.",
        "",
        "https://schedule.hospital.example/me",
    ]
    assert _rows(session_factory) == {
        "ana@example.org": (now, 1, ""),
        "ben@example.org": (now, 1, ""),
    }


def test_a_refused_login_is_recorded_without_the_password_and_retried_later(
    session_factory: Factory,
) -> None:
    now = _queue(session_factory, "ana@example.org")
    box = Mailbox(username="resched", password="the-right-one")
    with fake_smtp(box) as port:
        wrong = _config(port, username="resched", password=SECRET)
        failed = send_outbox(factory=session_factory, config=wrong, now=now)
        (sent_at, attempts, error) = _rows(session_factory)["ana@example.org"]
        assert (failed, sent_at, attempts) == (Delivery(0, 1), None, 1)
        # The server echoed the credentials; the record and its words do not.
        assert "535" in error
        assert SECRET not in error
        assert "Traceback" not in error

        right = _config(port, username="resched", password="the-right-one")
        too_soon = send_outbox(factory=session_factory, config=right, now=now)
        later = send_outbox(factory=session_factory, config=right, now=now + RETRY_BASE)

    assert (too_soon, later) == (Delivery(0, 0), Delivery(1, 0))
    assert _rows(session_factory)["ana@example.org"] == (now + RETRY_BASE, 2, "")
    assert len(box.received) == 1


def test_a_refused_recipient_fails_alone(session_factory: Factory) -> None:
    now = _queue(session_factory, "refused@example.org", "ben@example.org")
    box = Mailbox()
    with fake_smtp(box) as port:
        result = send_outbox(factory=session_factory, config=_config(port), now=now)

    rows = _rows(session_factory)
    assert result == Delivery(1, 1)
    assert [r.recipients for r in box.received] == [["ben@example.org"]]
    assert rows["ben@example.org"] == (now, 1, "")
    assert rows["refused@example.org"][:2] == (None, 1)
    assert "recipient refused" in rows["refused@example.org"][2]


def test_no_server_or_no_starttls_is_a_recorded_failure(session_factory: Factory) -> None:
    now = _queue(session_factory, "ana@example.org")
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    nobody = _config(closed, username="u", password=SECRET)
    assert send_outbox(factory=session_factory, config=nobody, now=now) == Delivery(0, 1)
    error = _rows(session_factory)["ana@example.org"][2]
    assert error.startswith(f"cannot reach 127.0.0.1:{closed}")
    assert SECRET not in error

    with fake_smtp(Mailbox()) as port:
        tls = _config(port, starttls=True)
        assert send_outbox(
            factory=session_factory, config=tls, now=now, retry_now=True
        ) == Delivery(0, 1)
    assert _rows(session_factory)["ana@example.org"][1:] == (
        2,
        "STARTTLS extension not supported by server.",
    )


def test_a_mail_is_given_up_after_the_last_attempt(session_factory: Factory) -> None:
    now = _queue(session_factory, "ana@example.org")
    with session_factory.begin() as session:
        session.execute(update(MailOutboxRow).values(attempts=MAX_ATTEMPTS, last_error="old"))
    box = Mailbox()
    with fake_smtp(box) as port:
        late = now + dt.timedelta(days=30)
        result = send_outbox(
            factory=session_factory, config=_config(port), now=late, retry_now=True
        )
    assert (result, box.received) == (Delivery(0, 0), [])
    assert _rows(session_factory)["ana@example.org"] == (None, MAX_ATTEMPTS, "old")


def test_paths_become_links_only_on_a_line_of_their_own() -> None:
    body = "No longer yours: CALL on 2026-10-14\n/me\nsee /me or //evil\n//evil.example"
    assert absolute_links(body, public_url="https://s.example/") == (
        "No longer yours: CALL on 2026-10-14\nhttps://s.example/me\nsee /me or //evil\n"
        "//evil.example"
    )
    assert absolute_links(body, public_url=None) == body
