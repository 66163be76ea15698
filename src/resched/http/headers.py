"""Security headers on every response, as a plain ASGI middleware.

The pages run no inline script or style (htmx is a file, configured by a meta tag; rotation
colours come from a stylesheet; Swagger UI on /api/docs is vendored and started by a static
script), so one Content-Security-Policy allows only this origin, on every page.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import Message, Receive, Scope, Send

from resched.http.asgi import HttpMiddleware

PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
HSTS = "max-age=31536000; includeSubDomains"
ALWAYS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


class SecurityHeadersMiddleware(HttpMiddleware):
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in ALWAYS.items():
                    headers.setdefault(name, value)
                headers.setdefault("content-security-policy", PAGE_POLICY)
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
