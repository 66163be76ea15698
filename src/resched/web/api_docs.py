"""The API docs page (``/api/docs``): Swagger UI from files served by this app.

Swagger UI is vendored, pinned to one version (static/vendor, with its licence and its
SHA-256 in CHECKSUMS.sha256), and started by a static script: no CDN, no inline script, so the
page runs under the same Content-Security-Policy as every other page. Production can turn the
page off (``RESCHED_API_DOCS=false``) and the OpenAPI document too (``RESCHED_OPENAPI=false``).

To upgrade: ``npm pack swagger-ui-dist@<version>``, copy ``swagger-ui-bundle.js`` and
``swagger-ui.css`` under the new names, update the checksums and ``SWAGGER_UI_VERSION``;
tests/web/test_vendor.py holds them together.
"""

from __future__ import annotations

from html import escape

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import HTMLResponse

SWAGGER_UI_VERSION = (
    "5.36.0"  # npm swagger-ui-dist, tarball sha1 d5805b115efd5406d8d3987096fcf6b31519f590
)
SWAGGER_UI_SCRIPT = f"vendor/swagger-ui-bundle-{SWAGGER_UI_VERSION}.js"
SWAGGER_UI_STYLES = f"vendor/swagger-ui-{SWAGGER_UI_VERSION}.css"
DOCS_SCRIPT = "js/api-docs.js"
DOCS_PATH = "/api/docs"

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} - API docs</title>
<link rel="icon" href="{static}/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="{static}/{styles}">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{openapi}"></div>
<script src="{static}/{script}"></script>
<script src="{static}/{docs_script}"></script>
</body>
</html>
"""


def mount_api_docs(app: FastAPI) -> None:
    """``GET /api/docs``: needs the OpenAPI document (``app.openapi_url``)."""
    openapi_url = app.openapi_url
    if openapi_url is None:
        raise ValueError("the API docs page needs the OpenAPI document (RESCHED_OPENAPI)")

    async def api_docs(request: Request) -> HTMLResponse:
        root = str(request.scope.get("root_path", "")).rstrip("/")
        page = PAGE.format(
            title=escape(app.title),
            static=escape(f"{root}/static"),
            styles=SWAGGER_UI_STYLES,
            script=SWAGGER_UI_SCRIPT,
            docs_script=DOCS_SCRIPT,
            openapi=escape(root + openapi_url),
        )
        return HTMLResponse(page)

    app.add_route(DOCS_PATH, api_docs, methods=["GET"], include_in_schema=False)
