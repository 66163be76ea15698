"""``resched mail send`` and the periodic mail task, from the settings: the embedded mode
(no SMTP host) sends nothing and leaves the outbox as it was; with a host the outbox goes out."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from resched.cli import app
from resched.db.tables import MailOutboxRow
from resched.services.notices import queue_mail
from resched.tasks.mail import EMBEDDED, send_mail, smtp_config
from tests.accounts import settings_for
from tests.fake_smtp import Mailbox, fake_smtp

pytestmark = pytest.mark.db
Factory = sessionmaker[Session]
runner = CliRunner()
SMTP_VARIABLES = ("HOST", "PORT", "USERNAME", "PASSWORD", "PASSWORD_FILE", "STARTTLS")


@pytest.fixture(autouse=True)
def _no_smtp_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in SMTP_VARIABLES:
        monkeypatch.delenv(f"RESCHED_SMTP_{name}", raising=False)


def _queue(factory: Factory) -> None:
    with factory.begin() as session:
        queue_mail(session, to=["ana@example.org"], subject="Published", body="See\n\n/schedule")


def _attempts(factory: Factory) -> list[tuple[int, bool]]:
    with factory() as session:
        rows = session.execute(select(MailOutboxRow.attempts, MailOutboxRow.sent_at)).all()
    return [(attempts, sent is not None) for attempts, sent in rows]


def test_the_embedded_mode_keeps_mail_in_the_outbox(
    session_factory: Factory, database_url: str
) -> None:
    _queue(session_factory)
    settings = settings_for(database_url)
    assert smtp_config(settings) is None
    assert send_mail(settings, session_factory) == EMBEDDED

    result = runner.invoke(app, ["mail", "send", "--database-url", database_url])

    assert result.exit_code == 2
    assert "RESCHED_SMTP_HOST is not set" in result.stderr
    assert _attempts(session_factory) == [(0, False)]


def test_mail_send_sends_the_outbox(
    session_factory: Factory, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _queue(session_factory)
    box = Mailbox()
    with fake_smtp(box) as port:
        monkeypatch.setenv("RESCHED_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("RESCHED_SMTP_PORT", str(port))
        monkeypatch.setenv("RESCHED_SMTP_STARTTLS", "false")
        monkeypatch.setenv("RESCHED_MAIL_FROM", "schedule@hospital.example")
        monkeypatch.setenv("RESCHED_PUBLIC_URL", "https://schedule.hospital.example")
        result = runner.invoke(app, ["mail", "send", "--database-url", database_url])

    assert result.exit_code == 0, result.output
    assert "1 sent, 0 failed" in result.stdout
    assert "0 unsent in the outbox" in result.stdout
    assert [r.recipients for r in box.received] == [["ana@example.org"]]
    body = box.received[0].message.get_payload(decode=True)
    assert b"https://schedule.hospital.example/schedule" in body  # type: ignore[operator]
    assert _attempts(session_factory) == [(1, True)]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("public_url", "schedule.example.org"),
        ("public_url", "javascript:x"),
        ("mail_from", "nobody"),
    ],
)
def test_a_malformed_mail_setting_is_refused(name: str, value: str) -> None:
    with pytest.raises(ValueError, match=name):
        settings_for("sqlite://", **{name: value})


def test_the_smtp_password_never_shows_in_the_settings_or_the_config() -> None:
    settings = settings_for(
        "sqlite://", smtp_host="mail.example", smtp_username="u", smtp_password="pw-hidden-9"
    )
    config = smtp_config(settings)
    assert config is not None
    assert config.password == "pw-hidden-9"
    assert "pw-hidden-9" not in repr(settings)
    assert "pw-hidden-9" not in repr(config)
