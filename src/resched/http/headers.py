"""Security headers on every response, as a plain ASGI middleware.

The pages run no inline script or style (htmx is a file, configured by a meta tag; rotation
colours come from a stylesheet), so the Content-Security-Policy allows only this origin. The
API docs page (Swagger UI) is the one exception: its script and styles come from a CDN and it
has one inline script, allowed by its hash (computed from FastAPI's own page, see
``docs_policy``) rather than by 'unsafe-inline'.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
DOCS_CDN = "https://cdn.jsdelivr.net"
HSTS = "max-age=31536000; includeSubDomains"
ALWAYS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)

type DocsPolicy = Callable[[str], str]


def docs_policy(app: FastAPI) -> DocsPolicy:
    """The CSP of the Swagger UI page for a root path: its CDN, and the hash of the exact
    inline script FastAPI renders for this app (so nothing else inline can run)."""
    cache: dict[str, str] = {}

    def policy(root_path: str) -> str:
        if root_path not in cache:
            page = get_swagger_ui_html(
                openapi_url=root_path + (app.openapi_url or ""),
                title=f"{app.title} - Swagger UI",
                oauth2_redirect_url=None,
                init_oauth=app.swagger_ui_init_oauth,
                swagger_ui_parameters=app.swagger_ui_parameters,
            )
            hashes = " ".join(
                "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
                for s in INLINE_SCRIPT.findall(bytes(page.body).decode())
            )
            cache[root_path] = (
                f"default-src 'self'; script-src 'self' {DOCS_CDN} {hashes}; "
                f"style-src 'self' {DOCS_CDN}; img-src 'self' data: https://fastapi.tiangolo.com; "
                "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
            )
        return cache[root_path]

    return policy


class SecurityHeadersMiddleware:
    def __init__(
        self, app: ASGIApp, *, docs_path: str | None = None, docs: DocsPolicy | None = None
    ) -> None:
        self.app = app
        self.docs_path = docs_path
        self.docs = docs

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        policy = PAGE_POLICY
        if self.docs is not None and path == self.docs_path:
            policy = self.docs(scope.get("root_path", ""))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in ALWAYS.items():
                    headers.setdefault(name, value)
                headers.setdefault("content-security-policy", policy)
                if scope.get("scheme") == "https":
                    # Only over HTTPS: sent over plain HTTP it would be ignored at best, and a
                    # development server on http://localhost must stay reachable.
                    headers.setdefault("strict-transport-security", HSTS)
                if not path.startswith("/static/"):
                    # Schedules and account pages must not linger in shared caches or in the
                    # browser's back button after signing out.
                    headers.setdefault("cache-control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)
