"""The web pages: server-rendered Jinja2 with a little htmx, mounted next to the API."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from resched.web.errors import render_error_page
from resched.web.pages import router
from resched.web.templating import STATIC_DIR


def mount_web(app: FastAPI) -> None:
    """Static files under ``/static``, the page routes, and HTML error pages for every path
    outside ``/api`` (api/errors.py calls ``app.state.html_error_page`` for those)."""
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(router)
    app.state.html_error_page = render_error_page
