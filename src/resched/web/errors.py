"""Friendly HTML error pages for the web side of the app, and the sign-in redirect.

The API keeps its JSON error shape: api/errors.py asks ``app.state.html_error_page`` and
``app.state.html_domain_error`` (set by ``mount_web``) to render only for paths outside
``/api``.
"""

from __future__ import annotations

from http import HTTPStatus
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from resched.core.errors import DomainError
from resched.http.auth import optional_principal
from resched.http.paths import LOGIN_PATH
from resched.services.auth.errors import PasswordChangeRequired, Unauthenticated
from resched.web.templating import templates

__all__ = [
    "login_redirect",
    "password_change_redirect",
    "plain_error_page",
    "render_domain_error",
    "render_error_page",
    "render_server_error",
]
PASSWORD_PATH = "/account/password"  # noqa: S105 - a page address, not a password

TITLES = {
    400: "The request could not be understood",
    403: "You cannot open this page",
    404: "Page not found",
    405: "That action is not available here",
    409: "That change conflicts with something else",
    422: "That did not work",
    429: "Too many attempts",
    500: "Something went wrong on our side",
}
EXPLANATIONS = {
    403: "Your account does not have permission for this. "
    "If you think it should, ask your program coordinator.",
    404: "The page may have moved, or the link may be wrong. "
    "If you typed the address, check it for mistakes.",
    405: "This address exists, but not for what the browser asked.",
}


def login_redirect(request: Request) -> Response:
    """To the sign-in page, coming back here afterwards (for a page; not after a form post,
    which cannot be repeated by a GET)."""
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    location = LOGIN_PATH
    if request.method == "GET" and target != "/":
        location += "?" + urlencode({"next": target})
    if request.headers.get("hx-request") == "true":
        # An htmx swap would put the sign-in page inside the grid: make it a full navigation.
        return Response(status_code=401, headers={"HX-Redirect": location})
    return RedirectResponse(location, status_code=303)


async def render_error_page(request: Request, exc: StarletteHTTPException) -> HTMLResponse:
    """An HTML page for an HTTP error raised outside the API (404 unknown page, 403, ...)."""
    status = exc.status_code
    detail: str | None = exc.detail if isinstance(exc.detail, str) else None
    if detail == _phrase(status):
        detail = None  # Starlette's own "Not Found" says nothing the title does not
    return await _page(request, status, detail, getattr(exc, "headers", None))


def password_change_redirect(request: Request) -> Response:
    """A reset password opens only the change form: every other page leads there."""
    if request.headers.get("hx-request") == "true":
        return Response(status_code=403, headers={"HX-Redirect": PASSWORD_PATH})
    return RedirectResponse(PASSWORD_PATH, status_code=303)


async def render_domain_error(request: Request, exc: DomainError, status: int) -> Response:
    if isinstance(exc, Unauthenticated):
        return login_redirect(request)
    if isinstance(exc, PasswordChangeRequired):
        return password_change_redirect(request)
    return await _page(request, status, exc.message, None)


async def _page(
    request: Request, status: int, detail: str | None, headers: dict[str, str] | None
) -> HTMLResponse:
    # The navigation needs to know who is signed in, also on pages no route claimed (404).
    await run_in_threadpool(optional_principal, request)
    response = templates.TemplateResponse(
        request,
        "error.html",
        {
            "status": status,
            "title": TITLES.get(status, "Something went wrong"),
            "explanation": EXPLANATIONS.get(status, "The request could not be completed."),
            "detail": detail,
            "section": None,
            "program_name": None,
        },
        status_code=status,
        headers=headers,
    )
    assert isinstance(response, HTMLResponse)
    return response


async def render_server_error(request: Request, request_id: str) -> HTMLResponse:
    """The page of an unhandled error (api/server_errors.py)."""
    explanation = (
        "The request was not completed. Try again in a moment; if it happens "
        f"again, tell your administrator the request id {request_id}."
    )
    return plain_error_page(request, 500, TITLES[500], explanation)


def plain_error_page(request: Request, status: int, title: str, explanation: str) -> HTMLResponse:
    """An error page that asks nothing of the database (which may be what failed): the
    navigation shows only if the request had signed in."""
    response = templates.TemplateResponse(
        request,
        "error.html",
        {
            "status": status,
            "title": title,
            "explanation": explanation,
            "detail": None,
            "section": None,
            "program_name": None,
        },
        status_code=status,
    )
    assert isinstance(response, HTMLResponse)
    return response


def _phrase(status: int) -> str | None:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return None
