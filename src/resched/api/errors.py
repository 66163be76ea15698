"""The one error table: every failure an API client can cause becomes
``{"error": {"code": ..., "message": ..., "details": ...}}`` with a 4xx status.

Only known error types are mapped. Anything else is a bug and surfaces as a 500 (logged with
its request id) rather than being disguised as a client error.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException

from resched.api.versions import etag
from resched.core.errors import Conflict, DomainError, Forbidden, Infeasible, Invalid, NotFound
from resched.http.paths import is_api_path
from resched.services.auth.errors import RateLimited, Unauthenticated
from resched.services.versions import StaleEdit

STATUS_BY_ERROR: dict[type[DomainError], int] = {
    NotFound: 404,
    Conflict: 409,
    Forbidden: 403,
    Invalid: 422,
    Infeasible: 422,
    Unauthenticated: 401,
    RateLimited: 429,
}

HTTP_CODE_NAMES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "too_many_requests",
}


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or {}}}


def field_path(
    location: tuple[int | str, ...] | list[int | str], body: Any = None, *, missing: bool = False
) -> str:
    """``("body", "people", 2, "pgy")`` -> ``people[2].pgy``: the path a user can find.

    pydantic puts the tag of a tagged union into the location (``scheme.explicit.blocks``
    for ``{"scheme": {"kind": "explicit", "blocks": ...}}``); the request has no such field,
    so a part that is no key of the object sent there but one of its values is left out -
    unless it ends the path of a ``missing`` error, where it names the field not sent.
    """
    parts = list(location)
    if parts and parts[0] in ("body", "query", "path", "header", "cookie"):
        parts = parts[1:]
    path = ""
    sent = body
    for index, part in enumerate(parts):
        names_missing_field = missing and index == len(parts) - 1
        if _is_union_tag(sent, part) and not names_missing_field:
            continue  # the union's tag, not a field of the request
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
        sent = _step(sent, part)
    return path or "body"


def _is_union_tag(sent: Any, part: int | str) -> bool:
    return (
        isinstance(sent, dict)
        and isinstance(part, str)
        and part not in sent
        and (part in sent.values())
    )


def _step(sent: Any, part: int | str) -> Any:
    if isinstance(sent, dict):
        return sent.get(part)
    if isinstance(sent, list) and isinstance(part, int) and 0 <= part < len(sent):
        return sent[part]
    return None


def _status_for(error: DomainError) -> int:
    for error_type in type(error).__mro__:
        if error_type in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[error_type]
    return 400


def _headers_for(error: DomainError) -> dict[str, str] | None:
    if isinstance(error, Unauthenticated):
        # RFC 6750: the scheme to use, and whether the token sent was the problem.
        challenge = 'Bearer error="invalid_token"' if error.token_rejected else "Bearer"
        return {"WWW-Authenticate": challenge}
    if isinstance(error, RateLimited):
        return {"Retry-After": str(error.retry_after)}
    if isinstance(error, StaleEdit) and error.current_version is not None:
        return {"ETag": etag(error.current_version)}  # the version to GET and retry against
    return None


async def _domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    html_page = getattr(request.app.state, "html_domain_error", None)
    if html_page is not None and not is_api_path(request.url.path):
        # Pages answer in HTML (a sign-in redirect for Unauthenticated); set by mount_web.
        page: Response = await html_page(request, exc, _status_for(exc))
        return page
    return JSONResponse(
        error_body(exc.code, exc.message, exc.details), _status_for(exc), headers=_headers_for(exc)
    )


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {
            "path": field_path(
                tuple(err.get("loc", ())), exc.body, missing=err.get("type") == "missing"
            ),
            "message": str(err.get("msg", "")),
        }
        for err in exc.errors()
    ]
    summary = "; ".join(f"{e['path']}: {e['message']}" for e in errors[:5])
    html_page = getattr(request.app.state, "html_error_page", None)
    if html_page is not None and not is_api_path(request.url.path):
        # A page's bad parameter (an id past the database's range) gets the HTML error page.
        page: Response = await html_page(request, StarletteHTTPException(422, summary))
        return page
    return JSONResponse(error_body("invalid", summary, {"errors": errors}), 422)


async def _integrity_error(_: Request, exc: Exception) -> JSONResponse:
    # Services convert the integrity errors they expect; this is the safety net for a
    # constraint the service did not anticipate. The database text is not echoed back.
    return JSONResponse(
        error_body("conflict", "The change conflicts with existing data.", None), 409
    )


async def http_error_response(request: Request, exc: Exception) -> Response:
    """The answer to an HTTP error: the JSON error shape, or an HTML page outside ``/api``."""
    assert isinstance(exc, StarletteHTTPException)
    html_page = getattr(request.app.state, "html_error_page", None)
    if html_page is not None and not is_api_path(request.url.path):
        # Pages get a readable HTML page (the hook is set by resched.web.mount_web); the API
        # keeps the JSON shape below.
        page: Response = await html_page(request, exc)
        return page
    code = HTTP_CODE_NAMES.get(exc.status_code, "error")
    message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
    return JSONResponse(
        error_body(code, message, None), exc.status_code, headers=getattr(exc, "headers", None)
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(IntegrityError, _integrity_error)
    app.add_exception_handler(StarletteHTTPException, http_error_response)
