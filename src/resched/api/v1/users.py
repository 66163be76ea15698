"""/users: accounts, for administrators. Passwords are set at creation and changed by their
owner (/auth/password); an administrator's reset returns a one-time password once. Nothing
else here ever returns a password, and nothing returns a hash."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, status

from resched.api.deps import ActorDep, PageDep, SessionFactoryDep
from resched.api.schemas import PageOut
from resched.api.schemas.auth import PasswordResetOut, UserIn, UserOut, UserPatch
from resched.http.auth import request_actor, require
from resched.http.params import MAX_ID
from resched.http.runtime import get_runtime
from resched.services import accounts
from resched.services.accounts import password_changes, users
from resched.services.permissions import Permission, Principal

router = APIRouter(prefix="/users", tags=["users"], dependencies=[require(Permission.USERS_MANAGE)])
UserId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("")
def list_users(factory: SessionFactoryDep, page: PageDep) -> PageOut[UserOut]:
    result = accounts.list_users(factory=factory, limit=page.limit, offset=page.offset)
    return PageOut[UserOut].of(result, UserOut.of)


@router.post("", status_code=status.HTTP_201_CREATED)
def create_user(
    body: UserIn, request: Request, factory: SessionFactoryDep, actor: ActorDep
) -> UserOut:
    user_id = users.create_user(
        factory=factory,
        username=body.username,
        password=body.password,
        role=body.role,
        person_code=body.person_code,
        actor=actor,
        costs=get_runtime(request).costs,
    )
    return UserOut.of(accounts.get_user(factory=factory, user_id=user_id))


@router.get("/{user_id}")
def get_user(user_id: UserId, factory: SessionFactoryDep) -> UserOut:
    return UserOut.of(accounts.get_user(factory=factory, user_id=user_id))


@router.patch("/{user_id}")
def update_user(
    user_id: UserId, body: UserPatch, factory: SessionFactoryDep, actor: ActorDep
) -> UserOut:
    """Change the role and/or activate or deactivate (which ends the account's sessions).
    The last active administrator cannot be demoted or deactivated (409)."""
    account = accounts.get_user(factory=factory, user_id=user_id)
    if body.role is not None:
        account = accounts.change_role(
            factory=factory, user_id=user_id, role=body.role, actor=actor
        )
    if body.active is not None:
        account = accounts.set_active(
            factory=factory, user_id=user_id, active=body.active, actor=actor
        )
    return UserOut.of(account)


@router.post("/{user_id}/password-reset")
def reset_password(
    user_id: UserId,
    request: Request,
    factory: SessionFactoryDep,
    admin: Annotated[Principal, require(Permission.USERS_MANAGE)],
) -> PasswordResetOut:
    """A new one-time password, in this answer only. The account's sessions and refresh
    tokens end, its sign-in lockout is lifted (Redis unreachable: ``lockout_lifted`` false
    and a ``warning``; the reset itself is made), and it must choose a new password at its next
    sign-in (until then every other route answers 403 ``password_change_required``). Your own
    account: 409 (change your password instead)."""
    runtime = get_runtime(request)
    reset = password_changes.reset_password(
        factory=factory,
        user_id=user_id,
        actor=request_actor(request, admin),
        acting_user_id=admin.user_id,
        limiter=runtime.limiter,
        costs=runtime.costs,
    )
    return PasswordResetOut.of(reset)
