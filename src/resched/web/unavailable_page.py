"""The page shown while the database cannot serve a request (resched.api.unavailable)."""

from __future__ import annotations

from fastapi.responses import HTMLResponse
from starlette.requests import Request

from resched.web.errors import plain_error_page

TITLE = "The database is unavailable"


async def render_unavailable(request: Request, retry_after: int) -> HTMLResponse:
    explanation = (
        "Nothing was changed. Try again in a moment "
        f"(about {retry_after} seconds); if it lasts, tell your administrator."
    )
    return plain_error_page(request, 503, TITLE, explanation)
