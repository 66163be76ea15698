"""/auth: sign in for tokens, rotate them, sign out, who am I, change my password.

The access token (15 minutes) goes in ``Authorization: Bearer``; the refresh token (7 days)
is sent only to /auth/refresh, which answers with a new pair and retires the one used.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request, status

from resched.api.deps import SessionFactoryDep
from resched.api.responses import error_responses
from resched.api.schemas.auth import LoginIn, MeOut, PasswordChangeIn, RefreshIn, TokensOut
from resched.http.auth import public, request_actor, require
from resched.http.runtime import get_runtime
from resched.services.accounts import password_changes
from resched.services.auth.login import check_credentials
from resched.services.auth.refresh import rotate_refresh_token
from resched.services.auth.sessions import TokenPair, end_session, start_api_session
from resched.services.permissions import MATRIX, Permission, Principal

router = APIRouter(prefix="/auth", tags=["auth"])
SignedIn = Annotated[Principal, require(Permission.ACCOUNT_SELF)]


def _tokens(pair: TokenPair) -> TokensOut:
    return TokensOut(
        access_token=pair.access_token,
        refresh_token=pair.refresh_token,
        expires_in=pair.access_expires_in,
        refresh_expires_in=pair.refresh_expires_in,
    )


@router.post(
    "/login",
    dependencies=[public("signing in needs no prior credentials")],
    responses=error_responses(401, 429),
)
def login(body: LoginIn, request: Request, factory: SessionFactoryDep) -> TokensOut:
    """401 for a wrong username or password (the same answer for both); 429 with
    Retry-After when the attempts for this username or from this address are used up."""
    runtime = get_runtime(request)
    actor = request_actor(request)
    user_id = check_credentials(
        factory=factory,
        limiter=runtime.limiter,
        username=body.username,
        password=body.password,
        actor=actor,
        costs=runtime.costs,
    )
    pair = start_api_session(factory=factory, policy=runtime.tokens, user_id=user_id, actor=actor)
    return _tokens(pair)


@router.post(
    "/refresh",
    dependencies=[public("the refresh token is the credential")],
    responses=error_responses(401),
)
def refresh(body: RefreshIn, request: Request, factory: SessionFactoryDep) -> TokensOut:
    """A new pair; the refresh token sent is retired. Sending a retired one again ends the
    whole session (every token issued from the same login)."""
    pair = rotate_refresh_token(
        factory=factory,
        policy=get_runtime(request).tokens,
        refresh_token=body.refresh_token,
        actor=request_actor(request),
    )
    return _tokens(pair)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(principal: SignedIn, request: Request, factory: SessionFactoryDep) -> None:
    """Ends the session of the access token: it and its refresh tokens stop working."""
    end_session(
        factory=factory, session_id=principal.session_id, actor=request_actor(request, principal)
    )


@router.get("/me")
def me(principal: SignedIn) -> MeOut:
    allowed = sorted(permission.value for permission in MATRIX[principal.role])
    return MeOut.of(principal, allowed)


@router.post("/password", status_code=status.HTTP_204_NO_CONTENT, responses=error_responses(429))
def change_password(
    body: PasswordChangeIn, principal: SignedIn, request: Request, factory: SessionFactoryDep
) -> None:
    """Other sessions of the account end; this one continues. A wrong current password
    counts like a failed sign-in: after five, 429 with Retry-After (a lockout that grows).
    This clears the mark of an administrator's reset (``must_change_password``)."""
    password_changes.change_password(
        factory=factory,
        limiter=get_runtime(request).limiter,
        user_id=principal.user_id,
        current_password=body.current_password,
        new_password=body.new_password,
        actor=request_actor(request, principal),
        keep_session=principal.session_id,
        costs=get_runtime(request).costs,
    )
