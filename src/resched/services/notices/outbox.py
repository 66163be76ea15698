"""The mail outbox as administrators read it: what was queued, for whom, and whether it went.

In embedded mode (no SMTP host) this is where mail ends: the administrator reads it here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import func, select

from resched.db.records import Page
from resched.db.tables import MailOutboxRow
from resched.services.common import SessionFactory, check_page, read


class OutboxFilter(StrEnum):
    ALL = "all"
    UNSENT = "unsent"
    SENT = "sent"


@dataclass(frozen=True, slots=True)
class OutboxMail:
    id: int
    to_address: str
    subject: str
    body: str
    created_at: dt.datetime
    sent_at: dt.datetime | None
    attempts: int
    last_error: str


def list_outbox(
    *,
    factory: SessionFactory,
    limit: int,
    offset: int,
    status: OutboxFilter = OutboxFilter.ALL,
) -> Page[OutboxMail]:
    """Newest first; ``status`` keeps the unsent or the sent mails only."""
    check_page(limit, offset)
    where = {
        OutboxFilter.ALL: MailOutboxRow.id.is_not(None),
        OutboxFilter.UNSENT: MailOutboxRow.sent_at.is_(None),
        OutboxFilter.SENT: MailOutboxRow.sent_at.is_not(None),
    }[status]
    with read(factory) as session:
        total = session.scalar(select(func.count()).select_from(MailOutboxRow).where(where))
        rows = session.scalars(
            select(MailOutboxRow)
            .where(where)
            .order_by(MailOutboxRow.created_at.desc(), MailOutboxRow.id.desc())
            .limit(limit)
            .offset(offset)
        )
        items = tuple(
            OutboxMail(
                id=row.id,
                to_address=row.to_address,
                subject=row.subject,
                body=row.body,
                created_at=row.created_at,
                sent_at=row.sent_at,
                attempts=row.attempts,
                last_error=row.last_error,
            )
            for row in rows
        )
    return Page(items, int(total or 0), limit, offset)
