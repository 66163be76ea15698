"""The page shown while the database cannot serve a request (resched.api.unavailable).

Like the server-error page it asks nothing of the database, which is what failed: the
navigation shows only if the request had already signed in."""

from __future__ import annotations

from fastapi.responses import HTMLResponse
from starlette.requests import Request

from resched.web.templating import templates

TITLE = "The database is unavailable"


async def render_unavailable(request: Request, retry_after: int) -> HTMLResponse:
    response = templates.TemplateResponse(
        request,
        "error.html",
        {
            "status": 503,
            "title": TITLE,
            "explanation": "Nothing was changed. Try again in a moment "
            f"(about {retry_after} seconds); if it lasts, tell your administrator.",
            "detail": None,
            "section": None,
            "program_name": None,
        },
        status_code=503,
    )
    assert isinstance(response, HTMLResponse)
    return response
