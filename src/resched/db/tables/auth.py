"""Sign-in sessions and refresh tokens. Only SHA-256 digests of tokens are stored: a copy of
the database does not let anyone sign in."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from resched.db.base import Base
from resched.db.types import UTCDateTime, str_enum, utc_now


class SessionKind(StrEnum):
    API = "api"  # bearer tokens: the session is the refresh-token family
    WEB = "web"  # the httpOnly cookie of the web pages


class AuthSessionRow(Base):
    """One sign-in. For the API it is the family of its rotating refresh tokens: revoking the
    session (logout, or a refresh token presented twice) ends every token of the family."""

    __tablename__ = "auth_session"
    __table_args__ = (UniqueConstraint("token_hash"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random, also the family id
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    kind: Mapped[SessionKind] = mapped_column(str_enum(SessionKind, "session_kind"))
    # Web sessions: the digest of the cookie value. API sessions have none (tokens are JWTs).
    token_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utc_now)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class RefreshTokenRow(Base):
    __tablename__ = "refresh_token"
    __table_args__ = (UniqueConstraint("token_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[str] = mapped_column(
        ForeignKey("auth_session.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utc_now)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    # Set when the token is used (rotated) or its family revoked; presenting it again is reuse.
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
