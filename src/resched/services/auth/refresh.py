"""Refresh-token rotation with reuse detection (RFC 6819 5.2.2.3; OAuth 2.0 Security BCP).

Each refresh token works once: using it revokes it and issues a new pair in the same family.
A revoked token presented again means two parties hold the family (a stolen token, or a
replay), so the whole family is revoked: the thief and the victim both have to sign in again,
and the event is audited.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum, auto

from sqlalchemy import select
from sqlalchemy.orm import Session

from resched.db.tables import AuthSessionRow, RefreshTokenRow, UserRow
from resched.services.audit import Actor, record
from resched.services.auth.errors import Unauthenticated
from resched.services.auth.sessions import ENTITY, TokenPair, issue_pair, revoke_families
from resched.services.auth.tokens import TokenPolicy, TokenType, digest, verify
from resched.services.common import SessionFactory, write


class _Outcome(Enum):
    ROTATED = auto()
    REUSED = auto()
    REFUSED = auto()


def rotate_refresh_token(
    *, factory: SessionFactory, policy: TokenPolicy, refresh_token: str, actor: Actor
) -> TokenPair:
    """A new token pair for a valid, unused refresh token; otherwise Unauthenticated (after
    revoking the family, and committing that, when the token was already used)."""
    claims = verify(policy, refresh_token, TokenType.REFRESH)
    with write(factory) as session:
        outcome, pair = _rotate(session, policy, digest(refresh_token), claims.session_id, actor)
    # Raised after the block: the revocation of a reused family must be committed, not
    # rolled back with the error.
    if outcome is not _Outcome.ROTATED or pair is None:
        raise Unauthenticated("invalid or expired token", token_rejected=True)
    return pair


def _rotate(
    session: Session, policy: TokenPolicy, token_hash: str, family_id: str, actor: Actor
) -> tuple[_Outcome, TokenPair | None]:
    token = session.scalars(
        select(RefreshTokenRow).where(RefreshTokenRow.token_hash == token_hash).with_for_update()
    ).first()
    if token is None or token.family_id != family_id:
        return _Outcome.REFUSED, None
    family = session.get_one(AuthSessionRow, family_id, with_for_update=True)
    if family.revoked_at is not None:
        return _Outcome.REFUSED, None  # signed out already: nothing more to revoke
    now = dt.datetime.now(dt.UTC)
    if token.revoked_at is not None:
        revoke_families(session, [family.id])
        user = session.get_one(UserRow, family.user_id)
        record(
            session,
            actor=Actor(user.username, actor.request_id, actor.client_address),
            action="auth.refresh_reuse",
            entity=ENTITY,
            entity_id=family.user_id,
            reason="a used refresh token was presented again; every token of its family revoked",
        )
        return _Outcome.REUSED, None
    user = session.get_one(UserRow, family.user_id)
    if token.expires_at <= now or family.expires_at <= now or not user.active:
        return _Outcome.REFUSED, None
    token.revoked_at = now
    return _Outcome.ROTATED, issue_pair(session, policy, family)
