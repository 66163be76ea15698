"""Friendly HTML error pages for the web side of the app.

The API keeps its JSON error shape: api/errors.py asks ``app.state.html_error_page`` (set by
``mount_web``) to render only for paths outside ``/api``.
"""

from __future__ import annotations

from http import HTTPStatus

from fastapi import Request
from fastapi.responses import HTMLResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from resched.web.templating import templates

TITLES = {
    403: "You cannot open this page",
    404: "Page not found",
    405: "That action is not available here",
}
EXPLANATIONS = {
    403: "Your account does not have permission to see this page. "
    "If you think it should, ask your program coordinator.",
    404: "The page may have moved, or the link may be wrong. "
    "If you typed the address, check it for mistakes.",
    405: "This address exists, but not for what the browser asked.",
}


def is_api_path(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


async def render_error_page(request: Request, exc: StarletteHTTPException) -> HTMLResponse:
    """An HTML page for an HTTP error raised outside the API (404 unknown page, 403, ...)."""
    status = exc.status_code
    detail: str | None = exc.detail if isinstance(exc.detail, str) else None
    if detail == _phrase(status):
        detail = None  # Starlette's own "Not Found" says nothing the title does not
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
        headers=getattr(exc, "headers", None),
    )
    assert isinstance(response, HTMLResponse)
    return response


def _phrase(status: int) -> str | None:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return None
