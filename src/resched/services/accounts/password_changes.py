"""Passwords of existing accounts: the owner's change, and an administrator's reset.

A reset sets a random one-time password, returned once to the administrator (never stored in
the clear, never audited) and marks the account ``must_change_password``: it signs in, and
then only the password change is open (resched.services.permissions.check_password_changed)
until the owner chooses their own. Both end the account's other sessions.

Hashing is slow on purpose, so it runs outside the write transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from resched.core.errors import Conflict, Invalid
from resched.db.tables import UserRow
from resched.services.accounts.passwords import (
    HashingCosts,
    check_password_policy,
    hash_password,
    one_time_password,
    verify_password,
)
from resched.services.accounts.users import ENTITY, password_context
from resched.services.audit import ActorLike, record
from resched.services.auth.ratelimit import LoginLimiter
from resched.services.auth.sessions import revoke_user_sessions
from resched.services.common import SessionFactory, not_found, read, write


@dataclass(frozen=True, slots=True)
class PasswordReset:
    user_id: int
    username: str
    one_time_password: str  # show it once; it is not kept anywhere
    sessions_ended: int
    # False: the sign-in counters (Redis) were unreachable, so a lockout kept there may come
    # back once Redis answers, until it ends by itself; ``lockout_note`` says so to the admin.
    lockout_lifted: bool = True

    @property
    def lockout_note(self) -> str | None:
        if self.lockout_lifted:
            return None
        return LOCKOUT_NOT_LIFTED.format(username=self.username)


# Said by a server process: it lifts the lockout in Redis once Redis answers (fallback_store).
LOCKOUT_NOT_LIFTED = (
    "The sign-in counters (Redis) could not be reached, so a sign-in lockout of {username} "
    "from before the outage could not be lifted there yet; it will be as soon as they answer "
    "again. {username} can sign in with the one-time password now; if they are told to wait "
    "once Redis is back (the server restarted before it answered), wait for the lockout to "
    "end by itself (an hour at most) or reset the password again then."
)
# Said by the command line, which ends before Redis answers again.
LOCKOUT_NOT_LIFTED_BY_COMMAND = (
    "The sign-in counters (Redis) could not be reached, so a sign-in lockout of {username} "
    "from before the outage could not be lifted. {username} can sign in with the one-time "
    "password now; if they are told to wait once Redis is back, wait for the lockout to end "
    "by itself (an hour at most) or reset the password again then."
)


def _current(session: Session, user_id: int) -> tuple[str, str]:
    row = session.get(UserRow, user_id)
    if row is None or not row.active:
        not_found(ENTITY, user_id)
    return row.username, row.password_hash


def change_password(
    *,
    factory: SessionFactory,
    user_id: int,
    current_password: str,
    new_password: str,
    limiter: LoginLimiter,
    actor: ActorLike = None,
    keep_session: str | None = None,
    costs: HashingCosts | None = None,
) -> None:
    """Replace the user's password after checking the current one (wrong guesses lock the
    change like sign-ins: RateLimited); other sessions end, a reset's mark is cleared."""
    context = password_context(costs)
    with read(factory) as session:
        username, old_hash = _current(session, user_id)
    limiter.before_password_check(user_id=user_id)
    if not verify_password(context, current_password, old_hash)[0]:
        limiter.after_password_failure(user_id=user_id)
        raise Invalid(
            "current_password: this is not your current password",
            details={"field": "current_password"},
        )
    limiter.after_password_success(user_id=user_id)
    check_password_policy(new_password, username=username, field="new_password")
    if verify_password(context, new_password, old_hash)[0]:
        # Above all after a reset: keeping the one-time password would defeat the reset.
        raise Invalid(
            "new_password: must differ from the current password",
            details={"field": "new_password"},
        )
    new_hash = hash_password(context, new_password)  # slow: outside the write transaction
    with write(factory) as session:
        row = session.get_one(UserRow, user_id, with_for_update=True)
        if row.password_hash != old_hash:
            raise Conflict("the password was changed meanwhile; sign in again")
        row.password_hash = new_hash
        row.must_change_password = False
        ended = revoke_user_sessions(session, user_id, keep=keep_session)
        record(
            session,
            actor=actor,
            action="user.password",
            entity=ENTITY,
            entity_id=user_id,
            after={"sessions_ended": ended},
        )


def reset_password(
    *,
    factory: SessionFactory,
    user_id: int,
    actor: ActorLike = None,
    acting_user_id: int | None = None,
    limiter: LoginLimiter | None = None,
    costs: HashingCosts | None = None,
) -> PasswordReset:
    """A new one-time password for the account (deactivated ones too: they stay
    deactivated); every session and refresh token of the account ends, and its sign-in
    lockout is lifted (unless Redis is unreachable: ``lockout_lifted`` and its note say so).
    Administrators change their own password, not reset it (Conflict)."""
    if acting_user_id is not None and acting_user_id == user_id:
        raise Conflict(
            "you cannot reset your own password; change it on the Change password page",
            details={"field": "user_id"},
        )
    with read(factory) as session:
        row = session.get(UserRow, user_id)
        if row is None:
            not_found(ENTITY, user_id)
        username = row.username
    lifted = True
    if limiter is not None:
        # Before the change, so a counter store that fails otherwise (a bug, not an outage)
        # fails the reset cleanly, not after a password nobody was shown. Redis unreachable
        # does not stop the reset (the password lives in the database): it is reported.
        lifted = limiter.forget_account(username=username, user_id=user_id)
    password = one_time_password()
    new_hash = hash_password(password_context(costs), password)
    with write(factory) as session:
        row = session.get_one(UserRow, user_id, with_for_update=True)
        row.password_hash = new_hash
        row.must_change_password = True
        ended = revoke_user_sessions(session, user_id)
        record(
            session,
            actor=actor,
            action="user.password_reset",
            entity=ENTITY,
            entity_id=user_id,
            after={"must_change_password": True, "sessions_ended": ended},
        )
    return PasswordReset(user_id, username, password, ended, lockout_lifted=lifted)
