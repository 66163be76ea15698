"""The application factory: one place where settings meet the adapters."""

from __future__ import annotations

from fastapi import FastAPI

from resched import __version__
from resched.api.errors import install_error_handlers
from resched.api.health import router as health_router
from resched.api.middleware import RequestIdMiddleware
from resched.api.v1 import api_router
from resched.db.session import create_engine_for, make_session_factory
from resched.logs import configure_logging
from resched.settings import Settings, get_settings
from resched.web import mount_web


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(level=settings.log_level, json=settings.log_json)
    app = FastAPI(
        title="resched",
        version=__version__,
        summary="Residency scheduling: rotation plans, call schedules and ACGME compliance.",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    engine = create_engine_for(settings.database_url)
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = make_session_factory(engine)
    install_error_handlers(app)
    app.add_middleware(RequestIdMiddleware)
    app.include_router(health_router)
    app.include_router(api_router, prefix="/api/v1")
    mount_web(app)
    return app
