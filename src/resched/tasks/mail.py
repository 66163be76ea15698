"""Mail delivery from the settings: the periodic task that sends the outbox (every minute,
from ``resched beat`` or the embedded worker) and what ``resched mail send`` runs.

Without RESCHED_SMTP_HOST (the embedded mode) nothing is sent: mail stays in the outbox,
which administrators read at /admin/outbox."""

from __future__ import annotations

from resched.db.types import utc_now
from resched.services.common import SessionFactory
from resched.services.notices.delivery import Delivery, SmtpConfig, send_outbox
from resched.settings import Settings

EMBEDDED = "no SMTP host (RESCHED_SMTP_HOST): mail stays in the outbox"


def smtp_config(settings: Settings) -> SmtpConfig | None:
    """The SMTP settings as plain values, or None in the embedded mode."""
    if not settings.smtp_host:
        return None
    password = settings.smtp_password
    return SmtpConfig(
        host=settings.smtp_host,
        port=settings.smtp_port,
        username=settings.smtp_username or None,
        password=password.get_secret_value() if password else None,
        starttls=settings.smtp_starttls,
        sender=settings.mail_from,
        public_url=settings.public_url,
    )


def send_mail(settings: Settings, factory: SessionFactory, *, retry_now: bool = False) -> str:
    """One batch of the outbox; a line for the log (or the command's output)."""
    config = smtp_config(settings)
    if config is None:
        return EMBEDDED
    return describe(send_outbox(factory=factory, config=config, now=utc_now(), retry_now=retry_now))


def describe(delivery: Delivery) -> str:
    return f"{delivery.sent} sent, {delivery.failed} failed"
