"""Security headers on pages and API answers, HSTS only over HTTPS, CORS closed unless
configured, trusted hosts, and forwarded headers honoured only from trusted proxies."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from resched.http.headers import PAGE_POLICY
from resched.services.audit import list_audit_events
from tests.accounts import PASSWORD, add_user, make_app, page_client

# Production refuses guessable secrets (settings.secret_weakness): this one looks random.
PRODUCTION_SECRET = "tEst-0nly-9Gq2LrW8vXk3Jm5Pd7Hs1Nb4Fc6Yz"

pytestmark = pytest.mark.db

EXPECTED_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


@pytest.fixture
def configured(database_url: str) -> Iterator[Any]:
    """``configured(**settings)``: a TestClient on an app built with those settings."""
    apps: list[FastAPI] = []

    def make(base_url: str = "http://testserver", **settings: Any) -> TestClient:
        app = make_app(database_url, **settings)
        apps.append(app)
        return TestClient(app, base_url=base_url)

    yield make
    for app in apps:
        app.state.engine.dispose()


def _assert_security_headers(response: httpx2.Response) -> None:
    headers = response.headers
    assert headers["content-security-policy"] == EXPECTED_POLICY
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "same-origin"
    assert "strict-transport-security" not in headers  # plain HTTP


def test_pages_and_api_answers_carry_the_security_headers(app: FastAPI) -> None:
    assert PAGE_POLICY == EXPECTED_POLICY
    user_id = add_user(app.state.session_factory, "coordinator")
    signed_in = page_client(app, user_id)
    anonymous = TestClient(app)
    responses = [
        anonymous.get("/login"),
        anonymous.get("/program", follow_redirects=False),
        signed_in.get("/program"),
        signed_in.get("/nowhere"),
        anonymous.get("/api/v1/people"),
        signed_in.get("/api/v1/people"),
        anonymous.get("/healthz"),
    ]
    assert [r.status_code for r in responses] == [200, 303, 200, 404, 401, 200, 200]
    for response in responses:
        _assert_security_headers(response)
    assert signed_in.get("/api/v1/people").headers["cache-control"] == "no-store"
    assert "no-store" not in anonymous.get("/static/css/app.css").headers.get("cache-control", "")


def test_hsts_only_over_https(configured: Any) -> None:
    secure = configured(base_url="https://testserver")
    assert secure.get("/healthz").headers["strict-transport-security"].startswith("max-age=")
    assert "strict-transport-security" not in configured().get("/healthz").headers


def test_the_docs_page_runs_no_inline_script_and_loads_nothing_from_elsewhere(
    configured: Any,
) -> None:
    response = configured().get("/api/docs")
    assert response.status_code == 200
    _assert_security_headers(response)  # the one page policy: no CDN, no hash, no inline
    assert re.findall(r"<script>", response.text) == []
    sources = re.findall(r'(?:src|href)="([^"]+)"', response.text)
    assert len(sources) == 4, sources  # the icon, the styles, the bundle, our start script
    assert all(s.startswith("/static/") for s in sources), sources
    assert 'data-openapi-url="/api/openapi.json"' in response.text
    for source in sources:
        assert configured().get(source).status_code == 200, source


def test_production_can_turn_the_docs_and_the_schema_off(configured: Any) -> None:
    no_page = configured(api_docs=False)
    assert no_page.get("/api/docs").status_code == 404
    assert no_page.get("/api/openapi.json").status_code == 200
    nothing = configured(api_docs=False, openapi=False)
    assert nothing.get("/api/docs").status_code == 404
    assert nothing.get("/api/openapi.json").status_code == 404
    assert nothing.get("/healthz").status_code == 200


def test_the_docs_page_needs_the_schema(database_url: str) -> None:
    with pytest.raises(ValueError, match="RESCHED_API_DOCS needs RESCHED_OPENAPI"):
        make_app(database_url, openapi=False)


def test_cors_is_closed_unless_configured(configured: Any) -> None:
    preflight = {
        "Origin": "https://elsewhere.example",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization",
    }
    closed = configured().options("/api/v1/people", headers=preflight)
    assert "access-control-allow-origin" not in closed.headers
    opened = configured(cors_origins="https://elsewhere.example")
    allowed = opened.options("/api/v1/people", headers=preflight)
    assert allowed.headers["access-control-allow-origin"] == "https://elsewhere.example"
    assert "access-control-allow-credentials" not in allowed.headers
    other = opened.options(
        "/api/v1/people", headers={**preflight, "Origin": "https://evil.example"}
    )
    assert "access-control-allow-origin" not in other.headers


def test_unknown_hosts_are_refused(configured: Any) -> None:
    default = configured()
    assert default.get("/healthz", headers={"Host": "evil.example"}).status_code == 400
    assert default.get("/healthz", headers={"Host": "localhost:8000"}).status_code == 200
    site = configured(allowed_hosts="schedule.example.org")
    assert site.get("/healthz", headers={"Host": "schedule.example.org"}).status_code == 200
    refused = site.get("/healthz", headers={"Host": "localhost"})
    assert refused.status_code == 400
    assert refused.headers["x-content-type-options"] == "nosniff"


def _login_from(client: TestClient, headers: dict[str, str]) -> httpx2.Response:
    return client.post(
        "/api/v1/auth/login", json={"username": "chief", "password": PASSWORD}, headers=headers
    )


def test_forwarded_headers_count_only_from_trusted_proxies(
    configured: Any, session_factory: sessionmaker[Session]
) -> None:
    add_user(session_factory, "coordinator", username="chief")
    forwarded = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
    untrusted = _login_from(configured(), forwarded)
    assert "strict-transport-security" not in untrusted.headers
    # The test client's peer address is "testclient": trusting it makes it a proxy.
    proxied = _login_from(configured(trusted_proxies="testclient"), forwarded)
    assert proxied.status_code == untrusted.status_code == 200
    assert proxied.headers["strict-transport-security"].startswith("max-age=")
    addresses = [e.client_address for e in list_audit_events(factory=session_factory).items]
    assert addresses == ["testclient", "203.0.113.7"]


def test_session_cookies_are_secure_behind_https(
    configured: Any, session_factory: sessionmaker[Session]
) -> None:
    add_user(session_factory, "coordinator", username="chief")
    for client, secure in (
        (configured(), False),
        (configured(base_url="https://testserver"), True),
        # Production marks cookies Secure even when the app itself sees plain HTTP (TLS ends
        # at the proxy); the test client then speaks HTTPS so that it sends them back.
        (
            configured(
                base_url="https://testserver",
                env="production",
                secret_key=PRODUCTION_SECRET,
                allowed_hosts="testserver",
            ),
            True,
        ),
    ):
        login_page = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', login_page.text)
        assert token is not None
        response = client.post(
            "/login",
            data={"username": "chief", "password": PASSWORD, "csrf_token": token[1]},
            follow_redirects=False,
        )
        assert response.status_code == 303
        cookie = response.headers["set-cookie"]
        assert "HttpOnly" in cookie
        assert "SameSite=lax" in cookie
        assert "Path=/" in cookie
        assert ("Secure" in cookie) is secure, cookie


def test_production_marks_cookies_secure_even_when_tls_ends_at_the_proxy(
    configured: Any,
) -> None:
    production = configured(
        env="production", secret_key=PRODUCTION_SECRET, allowed_hosts="testserver"
    )
    cookie = production.get("/login").headers["set-cookie"]  # plain HTTP inside the proxy
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "Secure" not in configured().get("/login").headers["set-cookie"]
