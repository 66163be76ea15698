"""Signing in and out, and changing one's password. Every form carries the CSRF token (the
web routers check it on every unsafe method; see resched.http.csrf)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import URL

from resched.core.errors import Conflict, Invalid
from resched.http.auth import optional_principal, public, request_actor, require
from resched.http.cookies import clear_session_cookie, is_secure, set_session_cookie
from resched.http.csrf import keep_presession_cookie
from resched.http.database import request_factory
from resched.http.paths import safe_next
from resched.http.runtime import get_runtime
from resched.services.accounts import password_changes
from resched.services.auth.errors import RateLimited, Unauthenticated
from resched.services.auth.login import check_credentials
from resched.services.auth.sessions import end_session, start_web_session
from resched.services.permissions import Permission, Principal
from resched.web.templating import templates

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form()]
NextQuery = Annotated[str, Query(alias="next")]
NextField = Annotated[str, Form(alias="next")]
SignedIn = Annotated[Principal, require(Permission.ACCOUNT_SELF)]
NOTICES = {"signed-out": "You are signed out.", "changed": "Your password was changed."}


def _login_page(
    request: Request,
    *,
    next_path: str,
    username: str = "",
    error: str | None = None,
    status: int = 200,
    headers: dict[str, str] | None = None,
    notice: str | None = None,
) -> Response:
    context = {
        "next": next_path,
        "username": username,
        "error": error,
        "notice": notice,
        "section": "login",
        "program_name": None,
    }
    response = templates.TemplateResponse(
        request, "auth/login.html", context, status_code=status, headers=headers
    )
    keep_presession_cookie(request, response, secure=is_secure(request))
    return response


@router.get("/login", dependencies=[public("the sign-in form")])
def login_form(request: Request, next_path: NextQuery = "", notice: str = "") -> Response:
    target = safe_next(next_path)
    if optional_principal(request) is not None:
        return RedirectResponse(target, status_code=303)
    return _login_page(request, next_path=target, notice=NOTICES.get(notice))


@dataclass(frozen=True, slots=True)
class _Refusal:
    status: int
    error: str
    headers: dict[str, str] | None = None


@router.post("/login", dependencies=[public("signing in needs no prior credentials")])
def login_submit(
    request: Request,
    username: Text = "",
    password: Text = "",
    next_path: NextField = "",
) -> Response:
    target = safe_next(next_path)
    outcome = _check(request, username, password)
    if isinstance(outcome, _Refusal):
        return _login_page(
            request,
            next_path=target,
            username=username.replace("\x00", ""),
            status=outcome.status,
            error=outcome.error,
            headers=outcome.headers,
        )
    actor = request_actor(request)
    previous = optional_principal(request)
    if previous is not None:  # signing in as someone else ends the old session
        end_session(factory=request_factory(request), session_id=previous.session_id, actor=actor)
    token = start_web_session(
        factory=request_factory(request),
        user_id=outcome,
        lifetime=get_runtime(request).session_lifetime,
        actor=actor,
    )
    response = RedirectResponse(target, status_code=303)
    set_session_cookie(request, response, token)
    return response


def _check(request: Request, username: str, password: str) -> int | _Refusal:
    """The user id for the form's credentials, or why they do not sign in."""
    if not username or not password:
        return _Refusal(422, "Enter your username and your password.")
    runtime = get_runtime(request)
    try:
        return check_credentials(
            factory=request_factory(request),
            limiter=runtime.limiter,
            username=username,
            password=password,
            actor=request_actor(request),
            costs=runtime.costs,
        )
    except RateLimited as exc:
        wait = exc.retry_after
        message = f"Too many sign-in attempts. Try again in {wait} seconds."
        return _Refusal(429, message, {"Retry-After": str(wait)})
    except Unauthenticated:
        return _Refusal(401, "The username or the password is wrong.")
    except Invalid:
        return _Refusal(422, "The username or the password contains a character not allowed.")


@router.post("/logout")
def logout(request: Request, principal: SignedIn) -> Response:
    end_session(
        factory=request_factory(request),
        session_id=principal.session_id,
        actor=request_actor(request, principal),
    )
    response = RedirectResponse(str(URL("/login").include_query_params(notice="signed-out")), 303)
    clear_session_cookie(request, response)
    return response


def _password_page(
    request: Request,
    principal: Principal,
    *,
    errors: dict[str, str] | None = None,
    notice: str | None = None,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    context = {
        "errors": errors or {},
        "notice": notice,
        "must_change": principal.must_change_password,
        "section": "account",
        "program_name": None,
    }
    return templates.TemplateResponse(
        request, "auth/password.html", context, status_code=status, headers=headers
    )


@router.get("/account/password")
def password_form(request: Request, principal: SignedIn, notice: str = "") -> Response:
    return _password_page(request, principal, notice=NOTICES.get(notice))


@router.post("/account/password")
def password_submit(
    request: Request,
    principal: SignedIn,
    current_password: Text = "",
    new_password: Text = "",
    confirm_password: Text = "",
) -> Response:
    if new_password != confirm_password:
        errors = {"confirm_password": "The two new passwords are not the same."}
        return _password_page(request, principal, errors=errors, status=422)
    runtime = get_runtime(request)
    try:
        password_changes.change_password(
            factory=request_factory(request),
            user_id=principal.user_id,
            current_password=current_password,
            new_password=new_password,
            limiter=runtime.limiter,
            actor=request_actor(request, principal),
            keep_session=principal.session_id,
            costs=runtime.costs,
        )
    except RateLimited as exc:
        wait = exc.retry_after
        errors = {"current_password": f"Too many wrong attempts. Try again in {wait} seconds."}
        headers = {"Retry-After": str(wait)}
        return _password_page(request, principal, errors=errors, status=429, headers=headers)
    except (Invalid, Conflict) as exc:
        field = str(exc.details.get("field", "new_password"))
        errors = {field: _sentence(exc.message)}
        return _password_page(request, principal, errors=errors, status=422)
    return RedirectResponse("/account/password?notice=changed", status_code=303)


def _sentence(message: str) -> str:
    """``new_password: must be ...`` -> ``Must be ...``: the field is shown by the form."""
    text = message.split(": ", 1)[-1]
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
