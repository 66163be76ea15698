"""The inbox and the mail outbox in the API."""

from __future__ import annotations

from resched.api.schemas.common import Instant, Output, PageOut
from resched.core.changes.kinds import NoticeKind
from resched.services.notices.inbox import Inbox, Notice
from resched.services.notices.outbox import OutboxMail


class NotificationOut(Output):
    id: int
    kind: NoticeKind
    title: str
    body: str
    link: str
    created_at: Instant
    read_at: Instant | None

    @classmethod
    def of(cls, notice: Notice) -> NotificationOut:
        return cls(
            id=notice.id,
            kind=notice.kind,
            title=notice.title,
            body=notice.body,
            link=notice.link,
            created_at=notice.created_at,
            read_at=notice.read_at,
        )


class InboxOut(PageOut[NotificationOut]):
    """A page of one's notices, and how many of all of them are unread."""

    unread: int

    @classmethod
    def of_inbox(cls, inbox: Inbox) -> InboxOut:
        page = inbox.page
        return cls(
            items=[NotificationOut.of(n) for n in page.items],
            total=page.total,
            limit=page.limit,
            offset=page.offset,
            unread=inbox.unread,
        )


class ReadAllOut(Output):
    marked: int  # the notices that were unread


class OutboxMailOut(Output):
    id: int
    to_address: str
    subject: str
    body: str
    created_at: Instant
    sent_at: Instant | None
    attempts: int
    last_error: str

    @classmethod
    def of(cls, mail: OutboxMail) -> OutboxMailOut:
        return cls(
            id=mail.id,
            to_address=mail.to_address,
            subject=mail.subject,
            body=mail.body,
            created_at=mail.created_at,
            sent_at=mail.sent_at,
            attempts=mail.attempts,
            last_error=mail.last_error,
        )
