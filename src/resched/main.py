"""The application factory: one place where settings meet the adapters."""

from __future__ import annotations

import gc
from functools import cache

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from resched import __version__
from resched.api.body_limit import BodyLimitMiddleware
from resched.api.documents import TOO_LARGE, document_paths
from resched.api.errors import install_error_handlers
from resched.api.health import router as health_router
from resched.api.middleware import RequestIdMiddleware
from resched.api.server_errors import ServerErrorMiddleware
from resched.api.unavailable import install_unavailable_handler
from resched.api.v1 import api_router
from resched.core.interchange import MAX_DOCUMENT_BYTES
from resched.db.session import create_engine_for, make_session_factory
from resched.http.csrf import CSRF_HEADER
from resched.http.headers import SecurityHeadersMiddleware
from resched.http.route_guard import guard_included_routers
from resched.http.runtime import build_runtime
from resched.http.uploads import upload_limits
from resched.logs import configure_logging, get_logger
from resched.settings import DEFAULT_SECRET, Settings, get_settings
from resched.tasks.app import make_job_queue
from resched.web import mount_web
from resched.web.api_docs import mount_api_docs

OPENAPI_PATH = "/api/openapi.json"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(level=settings.log_level, json=settings.log_json)
    if settings.secret_key.get_secret_value() == DEFAULT_SECRET:
        warn_development_key()
    app = FastAPI(
        title="resched",
        version=__version__,
        summary="Residency scheduling: rotation plans, call schedules and ACGME compliance.",
        # The docs page is ours (resched.web.api_docs: vendored Swagger UI, no inline script).
        docs_url=None,
        redoc_url=None,
        openapi_url=OPENAPI_PATH if settings.openapi else None,
        # No OAuth2 redirect page: sign-in is POST /api/v1/auth/login, and the page would be
        # one more public route with an inline script.
        swagger_ui_oauth2_redirect_url=None,
    )
    engine = create_engine_for(settings.database_url)
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = make_session_factory(engine)
    app.state.security = build_runtime(settings)
    # Jobs are handed to the workers through Celery; the broker is contacted on the first
    # submit, not here, so the app starts (and serves) while the broker is down.
    app.state.job_queue = make_job_queue(settings)
    install_error_handlers(app)
    install_unavailable_handler(app)
    app.include_router(health_router)
    app.include_router(api_router, prefix="/api/v1")
    mount_web(app)
    if settings.api_docs:
        mount_api_docs(app)
    guard_included_routers(app)
    _add_middleware(app, settings)
    return app


def create_served_app() -> FastAPI:
    """The app as `resched serve` runs it in each server process: ``create_app``, then the
    objects made so far (modules, routes, mappers, settings: about 280,000) frozen out of the
    garbage collector's reach. A full collection walked them all - about 180 ms during which
    the process answered nothing, every few seconds under load (the load run's long tail);
    with them frozen it walks only what requests made since, about 20 ms. Not in
    ``create_app``: a process that builds many apps (the tests) would keep each one's garbage
    cycles for good."""
    app = create_app()
    gc.collect()
    gc.freeze()
    return app


@cache
def warn_development_key() -> None:
    """Once per process: ``uvicorn --factory resched.main:create_app`` without
    RESCHED_SECRET_KEY signs with a key printed in the source (``resched serve`` uses a
    private one from var/secret_key; production refuses to start with it)."""
    get_logger("resched.security").warning(
        "signing with the public development signing key: anyone can forge sessions and "
        "tokens. Set RESCHED_SECRET_KEY (python -c 'import secrets; "
        "print(secrets.token_urlsafe(48))'), or start with `resched serve`"
    )


def _add_middleware(app: FastAPI, settings: Settings) -> None:
    """Innermost first (each ``add_middleware`` wraps the ones before it). From the outside:
    forwarded headers from trusted proxies only, request id, security headers, trusted hosts,
    CORS, the body-size cap, then the guard that turns an unhandled exception into a 500, so
    every answer, a refused host and a server error included, carries the headers and an id."""
    app.add_middleware(ServerErrorMiddleware)
    app.add_middleware(
        BodyLimitMiddleware,
        default_bytes=settings.max_body_bytes,
        document_bytes=MAX_DOCUMENT_BYTES,
        document_message=TOO_LARGE,
        document_paths=document_paths(app.routes),
        path_limits=upload_limits(),
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            # Bearer tokens, never cookies, cross origins: a page elsewhere cannot ride on a
            # signed-in browser.
            allow_credentials=False,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["authorization", "content-type", "x-request-id", CSRF_HEADER],
            expose_headers=["x-request-id", "retry-after"],
            max_age=600,
        )
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.effective_allowed_hosts)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(RequestIdMiddleware)
    if settings.trusted_proxies:
        # Only these peers may say who the client is (X-Forwarded-For) and whether it used
        # HTTPS (X-Forwarded-Proto); anyone else's forwarded headers are ignored.
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
