"""Sending the outbox over SMTP (the standard library's smtplib), in batches, with retries.

A mail is claimed before it is sent: its ``attempts`` goes up by one under a compare-and-set,
so two senders (the periodic task and ``resched mail send``) never both take it. A failed mail
is retried later, ever more patiently: attempt n+1 waits until ``RETRY_BASE * (2**n - 1)``
after the mail was queued (2, 6, 14 minutes, ... about 17 hours for the tenth), and after
``MAX_ATTEMPTS`` it stays in the outbox with its last error for the administrator to read.
A mail that went out and whose success could not be recorded (the process died between the
two) is sent again: at least once, never silently lost.

``last_error`` and the log say what went wrong in a sentence: never a traceback, and never the
password (it is removed should a server echo it).
"""

from __future__ import annotations

import datetime as dt
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.sql.elements import ColumnElement

from resched.db.tables import MailOutboxRow
from resched.logs import get_logger
from resched.services.common import SessionFactory, read, write

BATCH = 50
MAX_ATTEMPTS = 10
RETRY_BASE = dt.timedelta(minutes=2)
MAX_ERROR = 300
log = get_logger("resched.mail")


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    """Where mail goes, as plain values (read from the settings at the edge)."""

    host: str
    sender: str
    port: int = 587
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    starttls: bool = True
    public_url: str | None = None
    timeout: float = 30.0


@dataclass(frozen=True, slots=True)
class Delivery:
    """What one run did: mails sent, mails that failed (and will be retried or given up)."""

    sent: int
    failed: int


@dataclass(frozen=True, slots=True)
class _Mail:
    id: int
    to_address: str
    subject: str
    body: str


def send_outbox(
    *,
    factory: SessionFactory,
    config: SmtpConfig,
    now: dt.datetime,
    batch: int = BATCH,
    retry_now: bool = False,
) -> Delivery:
    """Send up to ``batch`` due mails over one SMTP connection. ``retry_now``: do not wait for
    the retry delay (an operator who has just fixed the settings)."""
    mails = _claim(factory, now, batch, retry_now)
    if not mails:
        return Delivery(0, 0)
    try:
        smtp = _connect(config)
    except (smtplib.SMTPException, OSError) as exc:
        _failed(factory, mails, describe_failure(exc, config))
        return Delivery(0, len(mails))
    sent = 0
    with smtp:
        for index, mail in enumerate(mails):
            try:
                smtp.send_message(_message(mail, config, now))
            except (smtplib.SMTPServerDisconnected, OSError) as exc:
                # The connection is gone: this mail and the rest wait for the next run.
                _failed(factory, mails[index:], describe_failure(exc, config))
                return Delivery(sent, len(mails) - sent)
            except (smtplib.SMTPException, ValueError) as exc:
                _failed(factory, [mail], describe_failure(exc, config))
                continue
            _sent(factory, mail, now)
            sent += 1
    return Delivery(sent, len(mails) - sent)


def unsent_count(*, factory: SessionFactory) -> int:
    with read(factory) as session:
        counted = session.scalar(
            select(func.count()).select_from(MailOutboxRow).where(MailOutboxRow.sent_at.is_(None))
        )
        return int(counted or 0)


def _due(now: dt.datetime, retry_now: bool) -> ColumnElement[bool]:
    tries = MailOutboxRow.attempts
    if retry_now:
        return tries < MAX_ATTEMPTS
    waits = [
        and_(tries == n, MailOutboxRow.created_at <= now - RETRY_BASE * (2**n - 1))
        for n in range(1, MAX_ATTEMPTS)
    ]
    return or_(tries == 0, *waits)


def _claim(factory: SessionFactory, now: dt.datetime, batch: int, retry_now: bool) -> list[_Mail]:
    with read(factory) as session:
        seen = session.execute(
            select(MailOutboxRow.id, MailOutboxRow.attempts)
            .where(MailOutboxRow.sent_at.is_(None), _due(now, retry_now))
            .order_by(MailOutboxRow.attempts, MailOutboxRow.id)
            .limit(batch)
        ).all()
    claimed: list[_Mail] = []
    with write(factory) as session:
        for mail_id, attempts in seen:
            taken = session.execute(
                update(MailOutboxRow)
                .where(
                    MailOutboxRow.id == mail_id,
                    MailOutboxRow.attempts == attempts,
                    MailOutboxRow.sent_at.is_(None),
                )
                .values(attempts=attempts + 1)
                .returning(MailOutboxRow.to_address, MailOutboxRow.subject, MailOutboxRow.body)
            ).one_or_none()
            if taken is not None:
                claimed.append(_Mail(mail_id, *taken))
    return claimed


def _connect(config: SmtpConfig) -> smtplib.SMTP:
    smtp = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
    try:
        if config.starttls:
            smtp.starttls(context=ssl.create_default_context())
        if config.username:
            smtp.login(config.username, config.password or "")
    except BaseException:
        smtp.close()
        raise
    return smtp


def _message(mail: _Mail, config: SmtpConfig, now: dt.datetime) -> EmailMessage:
    message = EmailMessage()
    message["From"] = config.sender
    message["To"] = mail.to_address
    message["Subject"] = " ".join(mail.subject.split())  # no line breaks in a header
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(domain=config.sender.rpartition("@")[2] or None)
    message.set_content(absolute_links(mail.body, public_url=config.public_url))
    return message


def absolute_links(body: str, *, public_url: str | None) -> str:
    """A line that is a site path ("/me") becomes a full address with the public URL, so the
    link works from a mail program; without a public URL the path stays as it is."""
    if not public_url:
        return body
    base = public_url.rstrip("/")
    return "\n".join(
        base + line
        if line.startswith("/") and not line.startswith("//") and " " not in line
        else line
        for line in body.split("\n")
    )


def describe_failure(exc: BaseException, config: SmtpConfig) -> str:
    """What went wrong, in one line, without a traceback or the password."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = sorted({code for code, _ in exc.recipients.values()})
        text = f"recipient refused by the server ({', '.join(map(str, codes))})"
    elif isinstance(exc, smtplib.SMTPResponseException):
        reply = exc.smtp_error
        said = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
        text = f"the server answered {exc.smtp_code}: {' '.join(said.split())}"
    elif isinstance(exc, smtplib.SMTPServerDisconnected):
        text = "the server closed the connection"
    elif isinstance(exc, smtplib.SMTPException):  # smtplib's own words (STARTTLS, AUTH, ...)
        text = str(exc) or type(exc).__name__
    elif isinstance(exc, TimeoutError):
        text = f"no answer from {config.host}:{config.port} in time"
    elif isinstance(exc, OSError):
        text = f"cannot reach {config.host}:{config.port}: {exc.strerror or type(exc).__name__}"
    elif isinstance(exc, ValueError):
        text = "the message could not be built (an invalid address or header)"
    else:
        text = f"{type(exc).__name__}: {exc}"
    if config.password:
        text = text.replace(config.password, "***")
    return text[:MAX_ERROR]


def _sent(factory: SessionFactory, mail: _Mail, now: dt.datetime) -> None:
    with write(factory) as session:
        session.execute(
            update(MailOutboxRow)
            .where(MailOutboxRow.id == mail.id)
            .values(sent_at=now, last_error="")
        )
    log.info("mail sent", mail_id=mail.id)


def _failed(factory: SessionFactory, mails: Sequence[_Mail], error: str) -> None:
    with write(factory) as session:
        session.execute(
            update(MailOutboxRow)
            .where(MailOutboxRow.id.in_([m.id for m in mails]))
            .values(last_error=error)
        )
    log.warning("mail not sent", mail_ids=[m.id for m in mails], error=error)
