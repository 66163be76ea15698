"""Secret feed tokens. A user has at most one live token: making a new one revokes the old
(the old address stops working, which is what "I shared it by mistake" needs). The raw token
is returned once and never stored, logged or audited: only its SHA-256 is kept, and a feed
request is found by that digest, so the lookup compares no secret byte by byte."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session

from resched.core.errors import NotFound
from resched.db.tables import CalendarFeedTokenRow, UserRow
from resched.services.audit import ActorLike, record
from resched.services.auth.tokens import digest
from resched.services.common import SessionFactory, read, write

ENTITY = "calendar_feed_token"


@dataclass(frozen=True, slots=True)
class FeedStatus:
    """The live token of a user, without the token itself."""

    created_at: dt.datetime
    last_used_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class FeedOwner:
    user_id: int
    person_id: int | None


def create_token(*, factory: SessionFactory, user_id: int, actor: ActorLike) -> str:
    """A new token for ``user_id`` (the previous one revoked); the raw token, shown once."""
    token = secrets.token_urlsafe(32)
    with write(factory) as session:
        _revoke_live(session, user_id)
        row = CalendarFeedTokenRow(user_id=user_id, token_hash=digest(token))
        session.add(row)
        session.flush()
        record(session, actor=actor, action="create", entity=ENTITY, entity_id=row.id)
    return token


def revoke_token(*, factory: SessionFactory, user_id: int, actor: ActorLike) -> None:
    """Revoke the user's live token; NotFound (field ``token``) when there is none."""
    with write(factory) as session:
        revoked = _revoke_live(session, user_id)
        if not revoked:
            raise NotFound("You have no calendar feed to revoke.", details={"field": "token"})
        for token_id in revoked:
            record(session, actor=actor, action="revoke", entity=ENTITY, entity_id=token_id)


def feed_status(*, factory: SessionFactory, user_id: int) -> FeedStatus | None:
    with read(factory) as session:
        row = session.scalars(_live(user_id)).first()
        return None if row is None else FeedStatus(row.created_at, row.last_used_at)


def use_token(*, factory: SessionFactory, token: str, now: dt.datetime) -> FeedOwner:
    """Whose feed ``token`` opens, noting when it was used; NotFound for an unknown, revoked
    or inactive-account token (all alike, so a guesser learns nothing)."""
    with write(factory) as session:
        stmt = (
            select(CalendarFeedTokenRow, UserRow)
            .join(UserRow, UserRow.id == CalendarFeedTokenRow.user_id)
            .where(CalendarFeedTokenRow.token_hash == digest(token))
        )
        found = session.execute(stmt).first()
        if found is None or found[0].revoked_at is not None or not found[1].active:
            raise NotFound("There is no such calendar feed.", details={"field": "token"})
        found[0].last_used_at = now
        return FeedOwner(found[1].id, found[1].person_id)


def _live(user_id: int) -> Select[CalendarFeedTokenRow]:
    return select(CalendarFeedTokenRow).where(
        CalendarFeedTokenRow.user_id == user_id, CalendarFeedTokenRow.revoked_at.is_(None)
    )


def _revoke_live(session: Session, user_id: int) -> list[int]:
    ids = [row.id for row in session.scalars(_live(user_id))]
    if ids:
        session.execute(
            update(CalendarFeedTokenRow)
            .where(CalendarFeedTokenRow.id.in_(ids))
            .values(revoked_at=dt.datetime.now(dt.UTC))
        )
    return ids
