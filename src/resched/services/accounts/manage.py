"""Managing accounts after they exist: listing, role changes, deactivation (passwords:
resched.services.accounts.password_changes).

Every change is audited in its own transaction, never with a password or a hash. Ending an
account's access (deactivation, a new password) also ends its sessions, so a stolen session
does not outlive the change that was meant to stop it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, Subquery, func, select
from sqlalchemy.orm import Session

from resched.core.errors import Conflict, Invalid, NotFound
from resched.core.model import Role
from resched.db.records import Page
from resched.db.tables import AuthSessionRow, PersonRow, UserRole, UserRow
from resched.services.accounts.users import ENTITY
from resched.services.audit import ActorLike, record
from resched.services.auth.sessions import revoke_user_sessions
from resched.services.common import SessionFactory, check_page, not_found, read, write

_PERSON_KIND: dict[UserRole, Role] = {
    UserRole.FACULTY: Role.FACULTY,
    UserRole.RESIDENT: Role.RESIDENT,
}


@dataclass(frozen=True, slots=True)
class UserAccount:
    id: int
    username: str
    role: UserRole
    active: bool
    created_at: dt.datetime
    person_id: int | None = None
    person_code: str | None = None
    person_name: str | None = None
    must_change_password: bool = False
    # The start of the newest sign-in session still on record (None: never, as far as known).
    last_sign_in_at: dt.datetime | None = None


def _account(
    row: UserRow, person: PersonRow | None, last_sign_in_at: dt.datetime | None = None
) -> UserAccount:
    return UserAccount(
        id=row.id,
        username=row.username,
        role=row.role,
        active=row.active,
        created_at=row.created_at,
        person_id=row.person_id,
        person_code=person.code if person else None,
        person_name=person.name if person else None,
        must_change_password=row.must_change_password,
        last_sign_in_at=last_sign_in_at,
    )


def _last_sign_in() -> Subquery:
    return (
        select(AuthSessionRow.user_id, func.max(AuthSessionRow.created_at).label("at"))
        .group_by(AuthSessionRow.user_id)
        .subquery()
    )


def _accounts_query() -> Select[UserRow, PersonRow | None, dt.datetime | None]:
    last = _last_sign_in()
    return (
        select(UserRow, PersonRow, last.c.at)
        .outerjoin(PersonRow, PersonRow.id == UserRow.person_id)
        .outerjoin(last, last.c.user_id == UserRow.id)
    )


def list_users(*, factory: SessionFactory, limit: int = 50, offset: int = 0) -> Page[UserAccount]:
    check_page(limit, offset)
    query = _accounts_query().order_by(UserRow.username).limit(limit).offset(offset)
    with read(factory) as session:
        total = session.scalar(select(func.count()).select_from(UserRow)) or 0
        items = tuple(_account(*row) for row in session.execute(query))
    return Page(items=items, total=total, limit=limit, offset=offset)


def get_user(*, factory: SessionFactory, user_id: int) -> UserAccount:
    with read(factory) as session:
        return _load(session, user_id)


def find_user_id(*, factory: SessionFactory, username: str) -> int:
    """The id of the account with exactly this username; NotFound naming the username."""
    with read(factory) as session:
        user_id = session.scalar(select(UserRow.id).where(UserRow.username == username))
    if user_id is None:
        raise NotFound(
            f"user {username!r} not found", details={"entity": ENTITY, "username": username}
        )
    return user_id


def _load(session: Session, user_id: int, *, lock: bool = False) -> UserAccount:
    row = session.get(UserRow, user_id, with_for_update=lock)
    if row is None:
        not_found(ENTITY, user_id)
    found = session.execute(_accounts_query().where(UserRow.id == user_id)).one()
    return _account(*found)


def _refuse_losing_last_admin(session: Session, user: UserAccount) -> None:
    if user.role is not UserRole.ADMIN or not user.active:
        return
    others = session.scalar(
        select(func.count())
        .select_from(UserRow)
        .where(UserRow.role == UserRole.ADMIN, UserRow.active.is_(True), UserRow.id != user.id)
    )
    if not others:
        raise Conflict(
            "this is the last active administrator; make another one first",
            details={"field": "role"},
        )


def change_role(
    *, factory: SessionFactory, user_id: int, role: str | UserRole, actor: ActorLike = None
) -> UserAccount:
    try:
        new_role = UserRole(role)
    except ValueError:
        raise Invalid(
            f"role: must be one of {', '.join(r.value for r in UserRole)}",
            details={"field": "role"},
        ) from None
    with write(factory) as session:
        before = _load(session, user_id, lock=True)
        if before.role is new_role:
            return before
        if new_role is not UserRole.ADMIN:
            _refuse_losing_last_admin(session, before)
        _check_person_kind(session, new_role, before.person_id)
        row = session.get_one(UserRow, user_id)
        row.role = new_role
        record(
            session,
            actor=actor,
            action="user.role",
            entity=ENTITY,
            entity_id=user_id,
            before={"role": before.role.value},
            after={"role": new_role.value},
        )
        return _load(session, user_id)


def _check_person_kind(session: Session, role: UserRole, person_id: int | None) -> None:
    # A resident or faculty account acts for its person ("my requests"): without the right
    # kind of linked person the role would mean nothing.
    needed = _PERSON_KIND.get(role)
    if needed is None:
        return
    person = session.get(PersonRow, person_id) if person_id is not None else None
    if person is None or person.role is not needed:
        raise Invalid(
            f"role: a {role.value} account needs a linked {needed.value}; create a new account "
            "linked to that person instead",
            details={"field": "role"},
        )


def set_active(
    *, factory: SessionFactory, user_id: int, active: bool, actor: ActorLike = None
) -> UserAccount:
    with write(factory) as session:
        before = _load(session, user_id, lock=True)
        if before.active is active:
            return before
        if not active:
            _refuse_losing_last_admin(session, before)
            revoke_user_sessions(session, user_id)
        session.get_one(UserRow, user_id).active = active
        record(
            session,
            actor=actor,
            action="user.activate" if active else "user.deactivate",
            entity=ENTITY,
            entity_id=user_id,
            before={"active": before.active},
            after={"active": active},
        )
        return _load(session, user_id)
