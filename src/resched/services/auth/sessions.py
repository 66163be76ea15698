"""Sign-in sessions: API token pairs with rotating refresh tokens, web cookie sessions,
resolving a request's credentials to a Principal, logout and revocation.

A session row is the refresh-token family. Access tokens name their session (``sid``), so
logging out, a reused refresh token or a deactivated account stops them at once, not only
when they expire.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, replace

from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session

from resched.db.tables import AuthSessionRow, RefreshTokenRow, SessionKind, UserRole, UserRow
from resched.services.audit import Actor, record
from resched.services.auth.errors import Unauthenticated
from resched.services.auth.tokens import TokenPolicy, TokenType, digest, issue, verify
from resched.services.common import SessionFactory, read, write
from resched.services.permissions import Principal

ENTITY = "user"
MAX_COOKIE_LENGTH = 256
type PrincipalQuery = Select[int, str, UserRole, int | None, bool, str]


@dataclass(frozen=True, slots=True)
class TokenPair:
    access_token: str
    refresh_token: str
    access_expires_in: int  # seconds
    refresh_expires_in: int


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _new_session(
    session: Session, user_id: int, kind: SessionKind, lifetime: dt.timedelta
) -> AuthSessionRow:
    row = AuthSessionRow(
        id=secrets.token_hex(16), user_id=user_id, kind=kind, expires_at=_now() + lifetime
    )
    session.add(row)
    return row


def _username(session: Session, user_id: int) -> str:
    return session.get_one(UserRow, user_id).username


def issue_pair(session: Session, policy: TokenPolicy, family: AuthSessionRow) -> TokenPair:
    access, _ = issue(
        policy, user_id=family.user_id, session_id=family.id, token_type=TokenType.ACCESS
    )
    refresh, claims = issue(
        policy, user_id=family.user_id, session_id=family.id, token_type=TokenType.REFRESH
    )
    session.add(
        RefreshTokenRow(
            family_id=family.id, token_hash=digest(refresh), expires_at=claims.expires_at
        )
    )
    family.expires_at = claims.expires_at  # the family lives as long as its newest token
    return TokenPair(
        access_token=access,
        refresh_token=refresh,
        access_expires_in=int(policy.access_lifetime.total_seconds()),
        refresh_expires_in=int(policy.refresh_lifetime.total_seconds()),
    )


def start_api_session(
    *, factory: SessionFactory, policy: TokenPolicy, user_id: int, actor: Actor
) -> TokenPair:
    """A new token family for a user whose credentials were just checked; audited as login."""
    with write(factory) as session:
        family = _new_session(session, user_id, SessionKind.API, policy.refresh_lifetime)
        session.flush()
        pair = issue_pair(session, policy, family)
        _record_login(session, user_id, family, actor)
        return pair


def start_web_session(
    *, factory: SessionFactory, user_id: int, lifetime: dt.timedelta, actor: Actor
) -> str:
    """A new cookie session; returns the cookie value (only its digest is stored)."""
    token = secrets.token_urlsafe(32)
    with write(factory) as session:
        family = _new_session(session, user_id, SessionKind.WEB, lifetime)
        family.token_hash = digest(token)
        session.flush()
        _record_login(session, user_id, family, actor)
    return token


def _record_login(session: Session, user_id: int, family: AuthSessionRow, actor: Actor) -> None:
    record(
        session,
        actor=replace(actor, username=_username(session, user_id)),
        action="auth.login",
        entity=ENTITY,
        entity_id=user_id,
        after={"session": family.kind.value},
    )


def _principal_query() -> PrincipalQuery:
    return (
        select(
            UserRow.id,
            UserRow.username,
            UserRow.role,
            UserRow.person_id,
            UserRow.must_change_password,
            AuthSessionRow.id,
        )
        .join(UserRow, UserRow.id == AuthSessionRow.user_id)
        .where(
            AuthSessionRow.revoked_at.is_(None),
            AuthSessionRow.expires_at > _now(),
            UserRow.active.is_(True),
        )
    )


def _principal(factory: SessionFactory, query: PrincipalQuery) -> Principal:
    with read(factory) as session:
        found = session.execute(query).first()
    if found is None:
        raise Unauthenticated("session ended or expired; sign in again", token_rejected=True)
    user_id, username, role, person_id, must_change_password, session_id = found
    return Principal(
        user_id=user_id,
        username=username,
        role=role,
        person_id=person_id,
        session_id=session_id,
        must_change_password=must_change_password,
    )


def principal_for_access_token(
    *, factory: SessionFactory, policy: TokenPolicy, token: str
) -> Principal:
    claims = verify(policy, token, TokenType.ACCESS)
    query = _principal_query().where(
        AuthSessionRow.id == claims.session_id,
        AuthSessionRow.user_id == claims.user_id,
        AuthSessionRow.kind == SessionKind.API,
    )
    return _principal(factory, query)


def principal_for_web_session(*, factory: SessionFactory, token: str) -> Principal:
    if not token or len(token) > MAX_COOKIE_LENGTH:
        raise Unauthenticated("session ended or expired; sign in again")
    query = _principal_query().where(
        AuthSessionRow.token_hash == digest(token), AuthSessionRow.kind == SessionKind.WEB
    )
    return _principal(factory, query)


def end_session(*, factory: SessionFactory, session_id: str, actor: Actor) -> None:
    """Logout: the session and every refresh token of its family stop working. Idempotent."""
    with write(factory) as session:
        family = session.get(AuthSessionRow, session_id, with_for_update=True)
        if family is None or family.revoked_at is not None:
            return
        revoke_families(session, [family.id])
        record(
            session,
            actor=actor,
            action="auth.logout",
            entity=ENTITY,
            entity_id=family.user_id,
            after={"session": family.kind.value},
        )


def revoke_families(session: Session, family_ids: list[str]) -> None:
    """Inside the caller's transaction: end these sessions and all their refresh tokens."""
    if not family_ids:
        return
    now = _now()
    session.execute(
        update(AuthSessionRow)
        .where(AuthSessionRow.id.in_(family_ids), AuthSessionRow.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    session.execute(
        update(RefreshTokenRow)
        .where(RefreshTokenRow.family_id.in_(family_ids), RefreshTokenRow.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def revoke_user_sessions(session: Session, user_id: int, *, keep: str | None = None) -> int:
    """Inside the caller's transaction: end a user's sessions (all but ``keep``); how many."""
    query = select(AuthSessionRow.id).where(
        AuthSessionRow.user_id == user_id, AuthSessionRow.revoked_at.is_(None)
    )
    if keep is not None:
        query = query.where(AuthSessionRow.id != keep)
    family_ids = list(session.scalars(query))
    revoke_families(session, family_ids)
    return len(family_ids)
