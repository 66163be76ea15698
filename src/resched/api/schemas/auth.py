"""Sign-in, tokens, the signed-in user, accounts and the audit trail."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, StrictBool, StringConstraints

from resched.api.schemas.common import Code, Input, Instant, Output
from resched.db.records import AuditEvent
from resched.db.tables import UserRole
from resched.services.accounts import UserAccount
from resched.services.accounts.password_changes import PasswordReset
from resched.services.accounts.passwords import MAX_PASSWORD_LENGTH
from resched.services.permissions import Principal


def _refuse_nul(value: str) -> str:
    # PostgreSQL text cannot hold a NUL: refused here as the field's error, not a 500 there.
    if "\x00" in value:
        raise ValueError("must not contain a NUL character")
    return value


NoNul = AfterValidator(_refuse_nul)
Username = Annotated[str, StringConstraints(strict=True, min_length=1, max_length=200), NoNul]
Password = Annotated[
    str, StringConstraints(strict=True, min_length=1, max_length=MAX_PASSWORD_LENGTH), NoNul
]
Token = Annotated[str, StringConstraints(strict=True, min_length=1, max_length=4096), NoNul]


class LoginIn(Input):
    username: Username
    password: Password


class RefreshIn(Input):
    refresh_token: Token


class TokensOut(Output):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth 2 token type name
    expires_in: int = Field(description="Seconds the access token stays valid")
    refresh_expires_in: int = Field(description="Seconds the refresh token stays valid")


class MeOut(Output):
    id: int
    username: str
    role: UserRole
    person_id: int | None
    permissions: list[str]
    must_change_password: bool = Field(
        description="Signed in with a one-time password: every route but /auth/me, "
        "/auth/password and /auth/logout answers 403 password_change_required until changed"
    )

    @classmethod
    def of(cls, principal: Principal, permissions: list[str]) -> MeOut:
        return cls(
            id=principal.user_id,
            username=principal.username,
            role=principal.role,
            person_id=principal.person_id,
            permissions=permissions,
            must_change_password=principal.must_change_password,
        )


class PasswordChangeIn(Input):
    current_password: Password
    new_password: Password


class UserIn(Input):
    username: Username
    password: Password
    role: UserRole
    person_code: Code | None = None


class UserPatch(Input):
    role: UserRole | None = None
    active: StrictBool | None = None


class UserOut(Output):
    id: int
    username: str
    role: UserRole
    active: bool
    person_id: int | None
    person_code: str | None
    created_at: Instant
    must_change_password: bool
    last_sign_in_at: Instant | None = Field(
        description="Start of the newest sign-in on record; null if none is known"
    )

    @classmethod
    def of(cls, account: UserAccount) -> UserOut:
        return cls(
            id=account.id,
            username=account.username,
            role=account.role,
            active=account.active,
            person_id=account.person_id,
            person_code=account.person_code,
            created_at=account.created_at,
            must_change_password=account.must_change_password,
            last_sign_in_at=account.last_sign_in_at,
        )


class PasswordResetOut(Output):
    user_id: int
    username: str
    one_time_password: str = Field(
        description="Shown this once and stored nowhere: hand it to the person privately. "
        "They must choose a new password at their next sign-in."
    )
    sessions_ended: int
    lockout_lifted: bool = Field(
        description="False when the sign-in counters (Redis) could not be reached: the reset "
        "was made, but a sign-in lockout from before the outage may come back once Redis "
        "answers, until it ends by itself; ``warning`` says what to do."
    )
    warning: str | None = Field(description="A plain sentence for the administrator, or null.")

    @classmethod
    def of(cls, reset: PasswordReset) -> PasswordResetOut:
        return cls(
            user_id=reset.user_id,
            username=reset.username,
            one_time_password=reset.one_time_password,
            sessions_ended=reset.sessions_ended,
            lockout_lifted=reset.lockout_lifted,
            warning=reset.lockout_note,
        )


class AuditEventOut(Output):
    id: int
    at: Instant
    actor: str
    action: str
    entity: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reason: str | None
    request_id: str | None
    client_address: str | None

    @classmethod
    def of(cls, event: AuditEvent) -> AuditEventOut:
        return cls(
            id=event.id,
            at=event.at,
            actor=event.actor,
            action=event.action,
            entity=event.entity,
            entity_id=event.entity_id,
            before=event.before,
            after=event.after,
            reason=event.reason,
            request_id=event.request_id,
            client_address=event.client_address,
        )
