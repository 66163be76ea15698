"""User accounts: creating them and checking a password (the login flow and tokens build on
``authenticate``).

Hashing is slow on purpose, so it runs outside the write transaction: a SQLite writer must not
hold the database lock for the duration of an argon2 hash. Audit events record who and what,
never a password or a hash.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from passlib.context import CryptContext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from resched.core.errors import Conflict
from resched.core.model import Role
from resched.db.tables import PersonRow, UserRole, UserRow
from resched.services.accounts.passwords import (
    MAX_PASSWORD_LENGTH,
    HashingCosts,
    check_password_policy,
    hash_password,
    make_context,
    verify_password,
)
from resched.services.audit import Actor, ActorLike, as_actor, record
from resched.services.common import SessionFactory, fail, read, write

ENTITY = "user"
MAX_USERNAME_LENGTH = 80
USERNAME_PATTERN = re.compile(r"[A-Za-z0-9._@-]{1,80}")
# Accounts that act for a person must be linked to a person of the matching kind.
_PERSON_ROLE_FOR: dict[UserRole, Role] = {
    UserRole.FACULTY: Role.FACULTY,
    UserRole.RESIDENT: Role.RESIDENT,
}


@lru_cache(maxsize=8)
def password_context(costs: HashingCosts | None) -> CryptContext:
    # Building a CryptContext parses its whole configuration; one per distinct costs suffices.
    return make_context(costs)


def _parse_role(role: str | UserRole) -> UserRole:
    try:
        return UserRole(role)
    except ValueError:
        fail("role", f"role: must be one of {', '.join(r.value for r in UserRole)}; got {role!r}")


def _check_username(username: str) -> None:
    # fullmatch: "$" would let a trailing newline through.
    if not USERNAME_PATTERN.fullmatch(username):
        fail("username", "username: 1-80 letters, digits, '.', '_', '@' or '-'")


def _linked_person_id(session: Session, role: UserRole, person_code: str | None) -> int | None:
    needed = _PERSON_ROLE_FOR.get(role)
    if person_code is None:
        if needed is not None:
            fail(
                "person_code", f"person_code: a {role.value} account needs a linked {needed.value}"
            )
        return None
    if "\x00" in person_code:
        fail("person_code", "person_code: must not contain a NUL character")
    stmt = select(PersonRow.id, PersonRow.role).where(PersonRow.code == person_code)
    found = session.execute(stmt).first()
    if found is None:
        fail("person_code", f"person_code: no person has the code {person_code!r}")
    person_id, person_role = found
    if needed is not None and person_role != needed:
        fail(
            "person_code",
            f"person_code: a {role.value} account needs a linked {needed.value}; "
            f"{person_code!r} is a {person_role.value}",
        )
    return person_id


def _refuse_taken(session: Session, username: str) -> None:
    # Case-insensitive, so "Admin" cannot pose as "admin"; the unique constraint (exact case)
    # stays the backstop for two concurrent creations.
    stmt = select(UserRow.id).where(func.lower(UserRow.username) == username.lower())
    if session.scalar(stmt.limit(1)) is not None:
        raise Conflict(f"username: {username!r} is taken", details={"field": "username"})


def create_user(
    *,
    factory: SessionFactory,
    username: str,
    password: str,
    role: str | UserRole,
    person_code: str | None = None,
    actor: ActorLike = None,
    costs: HashingCosts | None = None,
) -> int:
    """Create an account with an argon2 hash of ``password``; returns the user id.

    ``Invalid`` names the field (username, role, password, person_code); a taken username is
    a ``Conflict``. Faculty and resident accounts need a linked person of that kind.
    """
    _check_username(username)
    user_role = _parse_role(role)
    check_password_policy(password, username=username)
    password_hash = hash_password(password_context(costs), password)
    with write(factory) as session:
        person_id = _linked_person_id(session, user_role, person_code)
        _refuse_taken(session, username)
        row = UserRow(
            username=username, password_hash=password_hash, role=user_role, person_id=person_id
        )
        session.add(row)
        session.flush()
        record(
            session,
            actor=actor,
            action="user.create",
            entity=ENTITY,
            entity_id=row.id,
            after={
                "username": username,
                "role": user_role.value,
                "person_code": person_code,
                "active": row.active,
            },
        )
        return row.id


def authenticate(
    *,
    factory: SessionFactory,
    username: str,
    password: str,
    costs: HashingCosts | None = None,
    actor: ActorLike = None,
) -> int | None:
    """The id of the active user with this username and password, else None.

    A hash in a deprecated scheme (bcrypt) is replaced by an argon2 hash of the same password
    once it has matched, audited as ``user.rehash`` (with ``actor``'s request id and address).
    """
    context = password_context(costs)
    if len(password) > MAX_PASSWORD_LENGTH or not USERNAME_PATTERN.fullmatch(username):
        # No account has such a name (and PostgreSQL refuses a NUL in a query); hashing
        # megabytes of password would be a cheap DoS.
        return None
    stmt = select(UserRow.id, UserRow.password_hash).where(
        UserRow.username == username, UserRow.active.is_(True)
    )
    with read(factory) as session:
        found = session.execute(stmt).first()
    if found is None:
        # Spend the time a real check costs, so response times do not reveal which usernames
        # exist.
        context.dummy_verify()
        return None
    user_id, stored_hash = found
    ok, new_hash = verify_password(context, password, stored_hash)
    if not ok:
        return None
    if new_hash is not None:
        origin = replace(as_actor(actor), username=username)
        _store_rehash(factory, context, user_id, stored_hash, new_hash, origin)
    return user_id


def _store_rehash(
    factory: SessionFactory,
    context: CryptContext,
    user_id: int,
    old_hash: str,
    new_hash: str,
    actor: Actor,
) -> None:
    with write(factory) as session:
        row = session.get(UserRow, user_id, with_for_update=True)
        # Someone may have changed the password since it was read: never overwrite theirs.
        if row is None or row.password_hash != old_hash:
            return
        row.password_hash = new_hash
        record(
            session,
            actor=actor,
            action="user.rehash",
            entity=ENTITY,
            entity_id=user_id,
            before={"scheme": context.identify(old_hash)},
            after={"scheme": context.identify(new_hash)},
        )


def count_users(*, factory: SessionFactory, role: str | UserRole | None = None) -> int:
    """How many accounts exist (of one role): first start creates an admin only when none does."""
    with read(factory) as session:
        query = select(func.count()).select_from(UserRow)
        if role is not None:
            query = query.where(UserRow.role == _parse_role(role))
        return int(session.scalar(query) or 0)
