"""Secret calendar feed addresses: a user's calendar app fetches ``/calendar/<token>.ics``
without signing in, so the token is the only key. Only its SHA-256 is stored (a copy of the
database gives no feed), and a revoked token answers like an unknown one."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from resched.db.base import Base
from resched.db.types import UTCDateTime, utc_now


class CalendarFeedTokenRow(Base):
    __tablename__ = "calendar_feed_token"
    __table_args__ = (UniqueConstraint("token_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utc_now)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
