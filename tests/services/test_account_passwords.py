"""Passwords of existing accounts: an administrator's reset (one-time password, sessions and
refresh tokens ended, audited without the password, must change at next sign-in), the
owner's change (rate limited, clears the mark), whitespace-only passwords and Unicode NFC."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from resched.core.errors import Conflict, Invalid, NotFound
from resched.db.tables import AuthSessionRow, RefreshTokenRow, UserRow
from resched.services.accounts.password_changes import change_password, reset_password
from resched.services.accounts.passwords import check_password_policy, make_context
from resched.services.accounts.users import authenticate, create_user
from resched.services.audit import Actor, list_audit_events
from resched.services.auth.errors import PasswordChangeRequired, RateLimited, Unauthenticated
from resched.services.auth.memory_store import MemoryStore
from resched.services.auth.ratelimit import LoginLimiter
from resched.services.auth.sessions import (
    principal_for_web_session,
    start_api_session,
    start_web_session,
)
from resched.services.auth.tokens import TokenPolicy
from resched.services.permissions import Permission, check_password_changed
from tests.accounts import PASSWORD, TEST_COSTS, add_user

pytestmark = pytest.mark.db

Factory = sessionmaker[Session]
ADMIN = Actor("boss", request_id="req-7", client_address="10.0.0.9")
NEW_PASSWORD = "quiet-harbour-violin-77"
POLICY = TokenPolicy(key=b"k" * 32)


@pytest.fixture
def factory(session_factory: Factory) -> Factory:
    return session_factory


def _limiter() -> LoginLimiter:
    return LoginLimiter(MemoryStore())


def _sign_in(factory: Factory, username: str, password: str) -> int | None:
    return authenticate(factory=factory, username=username, password=password, costs=TEST_COSTS)


def _change(
    factory: Factory,
    user_id: int,
    current: str,
    new: str,
    *,
    limiter: LoginLimiter | None = None,
    keep_session: str | None = None,
) -> None:
    change_password(
        factory=factory,
        limiter=limiter or _limiter(),
        user_id=user_id,
        current_password=current,
        new_password=new,
        keep_session=keep_session,
        costs=TEST_COSTS,
    )


def _reset(factory: Factory, user_id: int, **extra: object) -> str:
    reset = reset_password(
        factory=factory,
        user_id=user_id,
        actor=ADMIN,
        costs=TEST_COSTS,
        **extra,  # type: ignore[arg-type]
    )
    return reset.one_time_password


def test_a_reset_gives_a_one_time_password_and_ends_every_session(factory: Factory) -> None:
    user_id = add_user(factory, "coordinator", username="chief")
    cookie = start_web_session(
        factory=factory, user_id=user_id, lifetime=dt.timedelta(hours=1), actor=ADMIN
    )
    start_api_session(factory=factory, policy=POLICY, user_id=user_id, actor=ADMIN)

    reset = reset_password(factory=factory, user_id=user_id, actor=ADMIN, costs=TEST_COSTS)

    assert reset.username == "chief"
    assert reset.sessions_ended == 2
    assert len(reset.one_time_password) >= 20
    check_password_policy(reset.one_time_password, username="chief")
    assert _sign_in(factory, "chief", PASSWORD) is None
    assert _sign_in(factory, "chief", reset.one_time_password) == user_id
    with pytest.raises(Unauthenticated):
        principal_for_web_session(factory=factory, token=cookie)
    with factory() as session:
        assert all(r.revoked_at for r in session.scalars(select(AuthSessionRow)))
        assert all(r.revoked_at for r in session.scalars(select(RefreshTokenRow)))
        row = session.get_one(UserRow, user_id)
        assert row.must_change_password
        stored_hash = row.password_hash
    events = list_audit_events(factory=factory, entity="user").items
    event = next(e for e in events if e.action == "user.password_reset")
    assert (event.actor, event.request_id, event.entity_id) == ("boss", "req-7", str(user_id))
    assert event.after == {"must_change_password": True, "sessions_ended": 2}
    text = json.dumps([event.before, event.after, event.reason])
    assert reset.one_time_password not in text
    assert stored_hash not in text


def test_every_reset_password_is_different(factory: Factory) -> None:
    user_id = add_user(factory, "coordinator")
    assert len({_reset(factory, user_id) for _ in range(5)}) == 5


def test_only_the_password_change_is_open_until_changed(factory: Factory) -> None:
    user_id = add_user(factory, "coordinator", username="chief")
    one_time = _reset(factory, user_id)
    cookie = start_web_session(
        factory=factory, user_id=user_id, lifetime=dt.timedelta(hours=1), actor=ADMIN
    )
    principal = principal_for_web_session(factory=factory, token=cookie)
    assert principal.must_change_password
    check_password_changed(principal, Permission.ACCOUNT_SELF)
    for permission in set(Permission) - {Permission.ACCOUNT_SELF}:
        with pytest.raises(PasswordChangeRequired) as raised:
            check_password_changed(principal, permission)
        assert raised.value.code == "password_change_required"

    _change(factory, user_id, one_time, NEW_PASSWORD, keep_session=principal.session_id)
    principal = principal_for_web_session(factory=factory, token=cookie)
    assert not principal.must_change_password
    check_password_changed(principal, Permission.PEOPLE_READ)


def test_the_one_time_password_cannot_be_kept(factory: Factory) -> None:
    user_id = add_user(factory, "coordinator")
    one_time = _reset(factory, user_id)
    with pytest.raises(Invalid) as raised:
        _change(factory, user_id, one_time, one_time)
    assert raised.value.details["field"] == "new_password"


def test_a_reset_lifts_the_sign_in_lockout(factory: Factory) -> None:
    user_id = add_user(factory, "coordinator", username="chief")
    limiter = _limiter()
    for _ in range(5):
        limiter.before_attempt(username="chief", client="10.0.0.1")
        limiter.after_failure(username="chief", client="10.0.0.1")
    with pytest.raises(RateLimited):
        limiter.before_attempt(username="chief", client="10.0.0.2")
    _reset(factory, user_id, limiter=limiter)
    limiter.before_attempt(username="chief", client="10.0.0.2")


def test_an_administrator_does_not_reset_their_own_password(factory: Factory) -> None:
    admin_id = add_user(factory, "admin", username="boss")
    with pytest.raises(Conflict):
        _reset(factory, admin_id, acting_user_id=admin_id)
    assert _sign_in(factory, "boss", PASSWORD) == admin_id
    with pytest.raises(NotFound):
        _reset(factory, admin_id + 1000)
    assert list_audit_events(factory=factory).total == 0


def test_wrong_current_passwords_are_rate_limited(factory: Factory) -> None:
    user_id = add_user(factory, "coordinator")
    limiter = _limiter()
    for n in range(5):
        with pytest.raises(Invalid):
            _change(factory, user_id, f"guess-number-{n}", NEW_PASSWORD, limiter=limiter)
    with pytest.raises(RateLimited) as raised:
        _change(factory, user_id, PASSWORD, NEW_PASSWORD, limiter=limiter)
    assert raised.value.retry_after == 60
    assert _sign_in(factory, "chief", NEW_PASSWORD) is None  # nothing changed


@pytest.mark.parametrize("password", [" " * 12, "\t" * 14, " \u3000 " * 5, "\n" * 20])
def test_whitespace_only_passwords_are_refused(factory: Factory, password: str) -> None:
    with pytest.raises(Invalid) as raised:
        create_user(
            factory=factory,
            username="spacey",
            password=password,
            role="coordinator",
            costs=TEST_COSTS,
        )
    assert raised.value.details["field"] == "password"
    assert "spaces" in raised.value.message


def test_spaces_inside_a_password_are_kept_as_typed(factory: Factory) -> None:
    user_id = create_user(
        factory=factory,
        username="spacey",
        password="  two words  here ",
        role="coordinator",
        costs=TEST_COSTS,
    )
    assert _sign_in(factory, "spacey", "  two words  here ") == user_id
    assert _sign_in(factory, "spacey", "two words here") is None


NFC = unicodedata.normalize("NFC", "Café-Ångström-piñata")
NFD = unicodedata.normalize("NFD", NFC)


def test_nfc_and_nfd_spellings_are_the_same_password(factory: Factory) -> None:
    assert NFC != NFD
    user_id = create_user(
        factory=factory,
        username="accents",
        password=NFD,
        role="coordinator",
        costs=TEST_COSTS,
    )
    assert _sign_in(factory, "accents", NFC) == user_id
    assert _sign_in(factory, "accents", NFD) == user_id


def test_a_hash_of_a_raw_nfd_password_still_signs_in_and_is_rehashed(factory: Factory) -> None:
    # Stored before normalisation: the hash is of the NFD form exactly as it was typed.
    user_id = add_user(factory, "coordinator", username="legacy")
    with factory.begin() as session:
        session.get_one(UserRow, user_id).password_hash = make_context(TEST_COSTS).hash(NFD)
    assert _sign_in(factory, "legacy", NFD) == user_id
    assert _sign_in(factory, "legacy", NFC) == user_id  # rehashed in NFC by the first sign-in
    assert [e.action for e in list_audit_events(factory=factory).items] == ["user.rehash"]
