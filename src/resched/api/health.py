"""Liveness and readiness: what a load balancer or an operator asks first."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from resched.db.migrate import head_revision, is_at_head
from resched.http.auth import public

router = APIRouter(tags=["health"])


@router.get(
    "/healthz",
    summary="The process is alive",
    dependencies=[public("load balancers and orchestrators probe it without credentials")],
)
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="The database is reachable and migrated to head",
    dependencies=[public("load balancers and orchestrators probe it without credentials")],
    responses={503: {"description": "Not ready: ``checks`` says which check failed."}},
)
def readyz(request: Request) -> JSONResponse:
    engine = request.app.state.engine
    checks: dict[str, Any] = {}
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        checks["database"] = "ok"
        checks["migrations"] = "ok" if is_at_head(engine) else f"not at head {head_revision()}"
    except SQLAlchemyError as exc:
        checks["database"] = f"unreachable: {type(exc).__name__}"
    ready = all(value == "ok" for value in checks.values()) and "migrations" in checks
    return JSONResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status_code=200 if ready else 503,
    )
