"""Every route has a body-size cap: 1 MiB by default (RESCHED_MAX_BODY_BYTES), 20 MB for the
document routes. A declared length over it is refused before the body is read; a chunked
body is refused as soon as it passes the cap. Either way: 413 in the one error shape."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from anyio.from_thread import start_blocking_portal
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.types import Message

from resched.core.interchange import MAX_DOCUMENT_BYTES
from tests.api.conftest import ClientAs

MIB = 1024 * 1024
CHUNK = 64 * 1024


@dataclass
class Exchange:
    """One request driven straight through the ASGI app, counting what it read."""

    chunks_read: int = 0
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


def _drive(app: FastAPI, path: str, chunks: int, content_length: int | None) -> Exchange:
    exchange = Exchange()
    headers = [(b"host", b"testserver"), (b"content-type", b"application/json")]
    if content_length is not None:
        headers.append((b"content-length", str(content_length).encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": headers,
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }

    async def receive() -> Message:
        exchange.chunks_read += 1
        more = exchange.chunks_read < chunks
        return {"type": "http.request", "body": b" " * CHUNK, "more_body": more}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            exchange.status = message["status"]
            exchange.headers = {k.decode(): v.decode() for k, v in message["headers"]}
        elif message["type"] == "http.response.body":
            exchange.body += message.get("body", b"")

    # In a thread of its own, as TestClient does: the browser tests' sync Playwright keeps an
    # event loop running in the main thread of the xdist worker that ran them.
    with start_blocking_portal() as portal:
        portal.call(app, scope, receive, send)
    return exchange


def _assert_too_large(exchange: Exchange, limit: int) -> None:
    assert exchange.status == 413
    assert "x-request-id" in exchange.headers
    assert exchange.headers["cache-control"] == "no-store"
    error = json.loads(exchange.body)["error"]
    assert error["code"] == "payload_too_large"
    assert str(limit) in error["message"]


def test_a_declared_length_over_the_cap_is_refused_before_reading(app: FastAPI) -> None:
    """The 300 MB sign-in of the finding: not one byte of it is read."""
    exchange = _drive(app, "/api/v1/auth/login", chunks=4800, content_length=300 * MIB)
    _assert_too_large(exchange, MIB)
    assert exchange.chunks_read == 0


def test_a_chunked_body_is_refused_once_it_passes_the_cap(app: FastAPI) -> None:
    exchange = _drive(app, "/api/v1/auth/login", chunks=4800, content_length=None)
    _assert_too_large(exchange, MIB)
    assert exchange.chunks_read == MIB // CHUNK + 1, "read up to the cap, and no further"


def test_a_body_longer_than_it_declared_is_refused_too(app: FastAPI) -> None:
    exchange = _drive(app, "/api/v1/auth/login", chunks=4800, content_length=1000)
    _assert_too_large(exchange, MIB)
    assert exchange.chunks_read == MIB // CHUNK + 1


def test_the_cap_is_a_setting(database_url: str) -> None:
    from tests.accounts import make_app

    small = make_app(database_url, max_body_bytes=64 * 1024)
    exchange = _drive(small, "/api/v1/auth/login", chunks=4800, content_length=None)
    _assert_too_large(exchange, 64 * 1024)
    assert exchange.chunks_read == 2


def test_a_chunked_sign_in_through_the_client_gets_the_error_shape(
    anonymous: TestClient,
) -> None:
    def body() -> Iterator[bytes]:
        yield b'{"username": "ada", "password": "'
        for _ in range(40):
            yield b"p" * CHUNK
        yield b'"}'

    response = anonymous.post(
        "auth/login", content=body(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert response.headers["x-request-id"]


def test_document_routes_keep_their_20_mb(client_as: ClientAs) -> None:
    resident = client_as("resident")
    over_default = b'{"format": "resched.schedule/v1", "pad": "' + b"x" * (2 * MIB) + b'"}'
    accepted = resident.post(
        "compliance/validate", content=over_default, headers={"content-type": "application/json"}
    )
    assert accepted.status_code == 422, "read and judged, not refused for its size"

    too_large = resident.post(
        "compliance/validate",
        content=b" " * (MAX_DOCUMENT_BYTES + 1),
        headers={"content-type": "application/json"},
    )
    assert too_large.status_code == 413
    assert "20 MB" in too_large.json()["error"]["message"]


def test_pages_answer_413_with_an_html_page(app: FastAPI) -> None:
    with TestClient(app) as browser:
        response = browser.post(
            "/login",
            content=b"username=ada&password=" + b"p" * (2 * MIB),
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["x-request-id"]


@pytest.mark.parametrize("path", ["/api/v1/schedules/import", "/api/v1/compliance/validate"])
def test_the_document_routes_are_found_by_their_declaration(app: FastAPI, path: str) -> None:
    exchange = _drive(app, path, chunks=1, content_length=MAX_DOCUMENT_BYTES + 1)
    _assert_too_large(exchange, MAX_DOCUMENT_BYTES)
    small_cap = _drive(app, path, chunks=1, content_length=2 * MIB)
    assert small_cap.status != 413, "2 MB is within a document route's limit"
