"""Checking a username and password under the login rate limits, with an audit event for
every failure. Shared by the API login and the web sign-in form.

A failed attempt records the account only when it exists: people type passwords into the
username field, and an audit trail must not collect them.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from resched.core.errors import Invalid
from resched.db.tables import UserRow
from resched.logs import get_logger
from resched.services.accounts.passwords import HashingCosts
from resched.services.accounts.users import MAX_USERNAME_LENGTH, authenticate
from resched.services.audit import Actor, record
from resched.services.auth.errors import RateLimited, Unauthenticated
from resched.services.auth.ratelimit import LoginLimiter
from resched.services.common import SessionFactory, write

UNKNOWN_ACTOR = "anonymous"
BAD_CREDENTIALS = "wrong username or password"

log = get_logger("resched.auth")


def check_credentials(
    *,
    factory: SessionFactory,
    limiter: LoginLimiter,
    username: str,
    password: str,
    actor: Actor,
    costs: HashingCosts | None = None,
) -> int:
    """The user id for a correct username and password; RateLimited or Unauthenticated
    (Invalid naming the field for a NUL character, which no database column can hold)."""
    for field, value in (("username", username), ("password", password)):
        if "\x00" in value:
            raise Invalid(f"{field}: must not contain a NUL character", details={"field": field})
    try:
        limiter.before_attempt(username=username, client=actor.client_address)
    except RateLimited:
        # Logged, not audited: a flood of refused attempts must not flood the audit trail.
        log.warning("login rate limited", client=actor.client_address)
        raise
    user_id = authenticate(
        factory=factory, username=username, password=password, costs=costs, actor=actor
    )
    if user_id is None:
        limiter.after_failure(username=username, client=actor.client_address)
        _record_failure(factory, username, actor)
        raise Unauthenticated(BAD_CREDENTIALS)
    limiter.after_success(username=username)
    return user_id


def _record_failure(factory: SessionFactory, username: str, actor: Actor) -> None:
    with write(factory) as session:
        user_id = None
        if len(username) <= MAX_USERNAME_LENGTH:
            user_id = session.scalar(select(UserRow.id).where(UserRow.username == username))
        record(
            session,
            actor=replace(actor, username=username if user_id is not None else UNKNOWN_ACTOR),
            action="auth.login_failed",
            entity="user",
            entity_id=user_id if user_id is not None else "unknown",
        )
