"""What people are told: the in-app inbox and the outgoing mail queue.

Mail is queued in the same transaction as the change it reports (nothing is announced that
did not happen) and sent afterwards; in embedded mode it stays in the outbox, which the
administrator reads in the pages."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from resched.core.changes.kinds import NoticeKind
from resched.db.base import Base
from resched.db.types import UTCDateTime, str_enum, utc_now


class NotificationRow(Base):
    __tablename__ = "notification"
    __table_args__ = (Index(None, "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"))
    kind: Mapped[NoticeKind] = mapped_column(str_enum(NoticeKind, "notice_kind"))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utc_now)
    read_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class MailOutboxRow(Base):
    __tablename__ = "mail_outbox"
    __table_args__ = (Index(None, "sent_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utc_now)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(String(500), default="")
