"""Sessions and refresh tokens: rotation, reuse detection, logout, revocation, and that only
digests of tokens are stored."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from resched.db.tables import AuthSessionRow, RefreshTokenRow, UserRow
from resched.services.audit import Actor, list_audit_events
from resched.services.auth.errors import Unauthenticated
from resched.services.auth.refresh import rotate_refresh_token
from resched.services.auth.sessions import (
    TokenPair,
    end_session,
    principal_for_access_token,
    principal_for_web_session,
    start_api_session,
    start_web_session,
)
from resched.services.auth.tokens import TokenPolicy, derive_key
from tests.accounts import add_user

pytestmark = pytest.mark.db

Factory = sessionmaker[Session]
POLICY = TokenPolicy(key=derive_key("test-secret", "jwt"))
ACTOR = Actor(None, request_id="req-1", client_address="10.1.2.3")


@pytest.fixture
def user_id(session_factory: Factory) -> int:
    return add_user(session_factory, "coordinator", username="chief")


def _login(factory: Factory, user_id: int) -> TokenPair:
    return start_api_session(factory=factory, policy=POLICY, user_id=user_id, actor=ACTOR)


def _rotate(factory: Factory, token: str) -> TokenPair:
    return rotate_refresh_token(factory=factory, policy=POLICY, refresh_token=token, actor=ACTOR)


def _works(factory: Factory, access_token: str) -> bool:
    try:
        principal_for_access_token(factory=factory, policy=POLICY, token=access_token)
    except Unauthenticated:
        return False
    return True


def test_login_is_audited_and_stores_only_digests(session_factory: Factory, user_id: int) -> None:
    pair = _login(session_factory, user_id)
    principal = principal_for_access_token(
        factory=session_factory, policy=POLICY, token=pair.access_token
    )
    assert (principal.user_id, principal.username) == (user_id, "chief")
    with session_factory() as session:
        stored = session.scalars(select(RefreshTokenRow.token_hash)).all()
    assert len(stored) == 1
    assert stored[0] != pair.refresh_token
    assert len(stored[0]) == 64
    events = list_audit_events(factory=session_factory).items
    assert [(e.action, e.actor, e.request_id, e.client_address) for e in events] == [
        ("auth.login", "chief", "req-1", "10.1.2.3")
    ]
    assert (pair.access_expires_in, pair.refresh_expires_in) == (15 * 60, 7 * 24 * 3600)


def test_refresh_rotates_and_retires_the_used_token(session_factory: Factory, user_id: int) -> None:
    first = _login(session_factory, user_id)
    second = _rotate(session_factory, first.refresh_token)
    assert second.refresh_token != first.refresh_token
    assert _works(session_factory, second.access_token)
    third = _rotate(session_factory, second.refresh_token)
    assert _works(session_factory, third.access_token)


def test_reusing_a_refresh_token_revokes_the_whole_family(
    session_factory: Factory, user_id: int
) -> None:
    first = _login(session_factory, user_id)
    other_login = _login(session_factory, user_id)  # another device: a family of its own
    second = _rotate(session_factory, first.refresh_token)

    with pytest.raises(Unauthenticated):
        _rotate(session_factory, first.refresh_token)  # the thief (or the victim) replays it

    assert not _works(session_factory, second.access_token)
    with pytest.raises(Unauthenticated):
        _rotate(session_factory, second.refresh_token)  # the newest one is dead too
    assert _works(session_factory, other_login.access_token)
    actions = [e.action for e in list_audit_events(factory=session_factory).items]
    assert actions.count("auth.refresh_reuse") == 1
    with session_factory() as session:
        live = session.scalar(
            select(RefreshTokenRow.id).where(RefreshTokenRow.revoked_at.is_(None)).limit(5)
        )
    assert live is not None  # the other login's token


def test_logout_ends_access_and_refresh_tokens(session_factory: Factory, user_id: int) -> None:
    pair = _login(session_factory, user_id)
    principal = principal_for_access_token(
        factory=session_factory, policy=POLICY, token=pair.access_token
    )
    end_session(factory=session_factory, session_id=principal.session_id, actor=ACTOR)
    end_session(factory=session_factory, session_id=principal.session_id, actor=ACTOR)
    assert not _works(session_factory, pair.access_token)
    with pytest.raises(Unauthenticated):
        _rotate(session_factory, pair.refresh_token)
    actions = [e.action for e in list_audit_events(factory=session_factory).items]
    assert actions == ["auth.login", "auth.logout"]  # a replay after logout is no "reuse"


def test_a_deactivated_user_is_signed_out_everywhere(
    session_factory: Factory, user_id: int
) -> None:
    pair = _login(session_factory, user_id)
    cookie = start_web_session(
        factory=session_factory, user_id=user_id, lifetime=dt.timedelta(hours=1), actor=ACTOR
    )
    with session_factory.begin() as session:
        session.execute(update(UserRow).values(active=False))
    assert not _works(session_factory, pair.access_token)
    with pytest.raises(Unauthenticated):
        principal_for_web_session(factory=session_factory, token=cookie)
    with pytest.raises(Unauthenticated):
        _rotate(session_factory, pair.refresh_token)


def test_expired_sessions_and_unknown_cookies_are_refused(
    session_factory: Factory, user_id: int
) -> None:
    cookie = start_web_session(
        factory=session_factory, user_id=user_id, lifetime=dt.timedelta(hours=1), actor=ACTOR
    )
    assert principal_for_web_session(factory=session_factory, token=cookie).user_id == user_id
    for bad in ("", "x", cookie + "x", "a" * 10_000):
        with pytest.raises(Unauthenticated):
            principal_for_web_session(factory=session_factory, token=bad)
    with session_factory.begin() as session:
        session.execute(
            update(AuthSessionRow).values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(1))
        )
    with pytest.raises(Unauthenticated):
        principal_for_web_session(factory=session_factory, token=cookie)


def test_an_access_token_is_not_a_web_session_and_vice_versa(
    session_factory: Factory, user_id: int
) -> None:
    pair = _login(session_factory, user_id)
    with pytest.raises(Unauthenticated):
        principal_for_web_session(factory=session_factory, token=pair.access_token)
    with pytest.raises(Unauthenticated):
        _rotate(session_factory, pair.access_token)  # an access token cannot refresh
