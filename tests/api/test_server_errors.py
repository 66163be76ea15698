"""An unhandled exception: a 500 in the one error shape (an HTML page for pages) with the
security headers, the request id and ``no-store``; logged once, as a plain traceback that
never shows the values of local variables, and of bounded size."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi import Depends, FastAPI, Request
from fastapi.testclient import TestClient

from resched import logs
from resched.http.auth import current_principal
from resched.logs import MAX_TRACEBACK_CHARS, configure_logging, plain_traceback
from tests.accounts import add_user, page_client

LOCAL_SECRET = "Local-Password-Never-In-Logs-7731"
HUGE_MESSAGE = "x" * 2_000_000
STALL_GUARD_S = 300.0  # a deadlock guard, not a speed expectation


class _Broken(RuntimeError):
    pass


def _raise_with_a_secret_local() -> None:
    password = LOCAL_SECRET  # a local of the raising frame, as a login handler would have
    raise _Broken(f"broken while checking a password of {len(password)} characters")


@pytest.fixture
def broken_app(app: FastAPI) -> FastAPI:
    """The real app with routes that fail: an API route, a page (anonymous and signed in),
    and one whose error message is two million characters."""

    @app.post("/api/v1/test-broken")
    def broken_api(body: dict[str, str]) -> None:
        _raise_with_a_secret_local()

    @app.get("/test-broken-page")
    def broken_page() -> None:
        _raise_with_a_secret_local()

    @app.get("/test-broken-signed-in", dependencies=[Depends(current_principal)])
    def broken_signed_in(request: Request) -> None:
        _raise_with_a_secret_local()

    @app.get("/api/v1/test-huge-error")
    def huge_error() -> None:
        raise _Broken(HUGE_MESSAGE)

    return app


@pytest.fixture
def tolerant(broken_app: FastAPI) -> Iterator[TestClient]:
    """A client that receives the 500 instead of re-raising the server's exception."""
    with TestClient(broken_app, raise_server_exceptions=False) as client:
        yield client


def _assert_guarded(response: object, *, content_type: str) -> str:
    assert response.status_code == 500  # type: ignore[attr-defined]
    headers = response.headers  # type: ignore[attr-defined]
    request_id = headers["x-request-id"]
    assert len(request_id) >= 16
    assert headers["cache-control"] == "no-store"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert "default-src 'self'" in headers["content-security-policy"]
    assert headers["content-type"].startswith(content_type)
    return str(request_id)


@pytest.mark.parametrize("json_logs", [False, True], ids=["console", "json"])
def test_api_500_has_the_error_shape_headers_and_a_log_without_locals(
    tolerant: TestClient, capsys: pytest.CaptureFixture[str], json_logs: bool
) -> None:
    configure_logging(level="INFO", json=json_logs)
    capsys.readouterr()
    response = tolerant.post("/api/v1/test-broken", json={"password": LOCAL_SECRET})
    request_id = _assert_guarded(response, content_type="application/json")
    error = response.json()["error"]
    assert error["code"] == "internal_error"
    assert request_id in error["message"]
    assert error["details"] == {"request_id": request_id}
    assert LOCAL_SECRET not in response.text

    log = capsys.readouterr().err
    assert "_raise_with_a_secret_local" in log, "the traceback names the frames"
    assert "_Broken" in log
    assert LOCAL_SECRET not in log, "neither the local variable nor the request body"
    assert log.count("_raise_with_a_secret_local") <= 2, "logged once (frame + source line)"
    assert request_id in log
    assert len(log) < 40_000


def test_an_enormous_error_is_logged_in_bounded_size(
    tolerant: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging(level="INFO", json=True)
    capsys.readouterr()
    response = tolerant.get("/api/v1/test-huge-error")
    assert response.status_code == 500
    log = capsys.readouterr().err
    assert "characters of traceback left out" in log
    assert len(log) < 2 * MAX_TRACEBACK_CHARS + 5_000


def test_page_500_is_an_html_page_with_headers(
    tolerant: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging(level="INFO", json=False)
    response = tolerant.get("/test-broken-page")
    request_id = _assert_guarded(response, content_type="text/html")
    assert "Something went wrong on our side" in response.text
    assert request_id in response.text
    assert LOCAL_SECRET not in response.text
    assert LOCAL_SECRET not in capsys.readouterr().err


def test_signed_in_page_500_shows_the_navigation(broken_app: FastAPI) -> None:
    user_id = add_user(broken_app.state.session_factory, "coordinator")
    with page_client(broken_app, user_id) as client:
        client_without_raising = TestClient(broken_app, raise_server_exceptions=False)
        client_without_raising.cookies = client.cookies
        response = client_without_raising.get("/test-broken-signed-in")
    _assert_guarded(response, content_type="text/html")
    assert "Signed in as" in response.text


def test_the_default_client_still_raises_the_bug(broken_app: FastAPI) -> None:
    """Test clients keep seeing the exception: the guard answers, logs, and re-raises."""
    with TestClient(broken_app) as client, pytest.raises(_Broken):
        client.get("/test-broken-page")


class _SlowRendering:
    """Rendering a traceback that takes its time (as the pretty tracebacks with every local did,
    for seconds): stalls on the first traceback until released."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.release = threading.Event()
        self.gave_up = False

    def __call__(self, exc_info: Any) -> str:
        if not self.entered.is_set():
            self.entered.set()
            # Only a deadlock guard: a blocked event loop would keep /healthz waiting until here.
            self.gave_up = not self.release.wait(STALL_GUARD_S)
        return plain_traceback(exc_info)


def test_rendering_an_error_does_not_stop_other_requests(
    tolerant: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure_logging(level="INFO", json=True)
    slow = _SlowRendering()
    monkeypatch.setattr(logs, "plain_traceback", slow)
    try:
        with ThreadPoolExecutor(1) as pool:
            failing = pool.submit(tolerant.post, "/api/v1/test-broken", json={})
            assert slow.entered.wait(STALL_GUARD_S), "the error was never logged"
            health = tolerant.get("/healthz")  # served while the error is still being rendered
            assert health.status_code == 200
            assert not slow.gave_up, "the event loop waited for the error's rendering"
            assert not failing.done()
            slow.release.set()
            assert failing.result(timeout=STALL_GUARD_S).status_code == 500
    finally:
        slow.release.set()
