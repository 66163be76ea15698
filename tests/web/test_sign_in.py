"""Signing in and out of the pages: redirects for anonymous visitors, the session cookie,
CSRF on every form, safe ``next`` targets, the htmx redirect, and changing one's password."""

from __future__ import annotations

import re

import httpx2
import pytest
from fastapi.testclient import TestClient

from resched.http.cookies import SESSION_COOKIE
from resched.services.audit import list_audit_events
from tests.accounts import PASSWORD, add_user
from tests.web.conftest import WebApp
from tests.web.htmlcheck import parse

pytestmark = pytest.mark.db

NEW_PASSWORD = "quiet-harbour-violin-77"


def csrf_of(response: httpx2.Response) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', response.text)
    assert found, "the page has a form with a CSRF token"
    return found[1]


def sign_in(
    client: TestClient, username: str = "rosa", password: str = PASSWORD, next_path: str = ""
) -> httpx2.Response:
    form = client.get("/login", params={"next": next_path} if next_path else None)
    return client.post(
        "/login",
        data={
            "username": username,
            "password": password,
            "csrf_token": csrf_of(form),
            "next": next_path,
        },
        follow_redirects=False,
    )


@pytest.mark.parametrize("path", ["/", "/program", "/plan?pgy=2", "/people/1", "/admin/users"])
def test_anonymous_pages_redirect_to_sign_in_and_come_back(web: WebApp, path: str) -> None:
    response = web.anonymous.get(path, follow_redirects=False)
    assert response.status_code == 303
    location = response.headers["location"]
    assert location.startswith("/login")
    if path != "/":
        add_user(web.session_factory, "admin", username="rosa")
        assert httpx2.URL(location).params["next"] == path
        back = sign_in(web.anonymous, next_path=path)
        assert back.headers["location"] == path


def test_htmx_requests_get_a_full_page_redirect(web: WebApp) -> None:
    response = web.anonymous.get("/plan", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["hx-redirect"] == "/login?next=%2Fplan"


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/x",
        "https://evil.example",
        "/\\evil.example",
        "/login?next=/x",
        "\n/x",
        "javascript:alert(1)",
    ],
)
def test_unsafe_next_targets_become_the_home_page(web: WebApp, target: str) -> None:
    add_user(web.session_factory, "coordinator", username="rosa")
    assert sign_in(web.anonymous, next_path=target).headers["location"] == "/"


def test_signing_in_sets_a_hardened_cookie_and_shows_who_is_signed_in(web: WebApp) -> None:
    add_user(web.session_factory, "resident", username="rosa")
    response = sign_in(web.anonymous, next_path="/plan")
    assert (response.status_code, response.headers["location"]) == (303, "/plan")
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Path=/" in cookie
    page = parse(web.anonymous.get("/plan").text)
    account = next(n for n in page.iter("nav") if n.attrs.get("aria-label") == "Account")
    assert "Signed in as rosa (resident)" in account.text
    main_nav = next(n for n in page.iter("nav") if n.attrs.get("aria-label") == "Main")
    assert "Users" not in main_nav.text
    assert "Audit trail" not in main_nav.text


def test_a_failed_sign_in_explains_itself_next_to_the_fields(web: WebApp) -> None:
    add_user(web.session_factory, "resident", username="rosa")
    response = sign_in(web.anonymous, password="not-the-password")
    assert response.status_code == 401
    page = parse(response.text)
    alert = page.by_id("login-error")
    assert alert is not None
    assert alert.attrs["role"] == "alert"
    for control in ("login-username", "login-password"):
        field = page.by_id(control)
        assert field is not None
        assert field.attrs["aria-invalid"] == "true"
        assert field.attrs["aria-describedby"] == "login-error"
    assert page.by_id("login-username").attrs["value"] == "rosa"  # type: ignore[union-attr]
    assert "not-the-password" not in response.text
    assert SESSION_COOKIE not in response.headers.get("set-cookie", "")


def test_the_sign_in_form_is_rate_limited(web: WebApp) -> None:
    add_user(web.session_factory, "resident", username="rosa")
    for _ in range(5):
        assert sign_in(web.anonymous, password="not-the-password").status_code == 401
    limited = sign_in(web.anonymous)
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) >= 1
    assert "Too many sign-in attempts" in limited.text


@pytest.mark.parametrize("token", [None, "", "0" * 64, "forged"])
def test_a_missing_or_wrong_csrf_token_is_403(web: WebApp, token: str | None) -> None:
    add_user(web.session_factory, "resident", username="rosa")
    web.anonymous.get("/login")  # the pre-session cookie exists; only the token is wrong
    data = {"username": "rosa", "password": PASSWORD}
    if token is not None:
        data["csrf_token"] = token
    response = web.anonymous.post("/login", data=data, follow_redirects=False)
    assert response.status_code == 403
    assert "did not come from this site" in response.text
    logout = web.client.post("/logout", data={"csrf_token": token or ""})
    assert logout.status_code == 403
    assert web.client.get("/program").status_code == 200  # still signed in


def test_a_token_from_another_session_is_refused(web: WebApp) -> None:
    other = web.client_as("resident")
    stolen = csrf_of(other.get("/account/password"))
    assert web.client.post("/logout", data={"csrf_token": stolen}).status_code == 403


def test_logout_ends_the_session_and_clears_the_cookie(web: WebApp) -> None:
    cookie = web.client.cookies[SESSION_COOKIE]
    assert web.client.get("/logout").status_code == 405  # signing out is never a GET
    response = web.client.post(
        "/logout", data={"csrf_token": csrf_of(web.client.get("/program"))}, follow_redirects=False
    )
    assert (response.status_code, response.headers["location"]) == (
        303,
        "/login?notice=signed-out",
    )
    assert f'{SESSION_COOKIE}=""' in response.headers["set-cookie"]
    replay = TestClient(web.app, cookies={SESSION_COOKIE: cookie})
    assert replay.get("/program", follow_redirects=False).status_code == 303
    assert [e.action for e in list_audit_events(factory=web.session_factory).items] == [
        "auth.logout"
    ]


def test_a_cookie_authenticated_api_write_needs_the_csrf_header(web: WebApp) -> None:
    body = {"code": "DAY", "name": "Day", "start": "07:00:00", "minutes": 600, "kind": "work"}
    refused = web.client.post("/api/v1/shift-types", json=body)
    assert refused.status_code == 403
    token = csrf_of(web.client.get("/program"))
    accepted = web.client.post("/api/v1/shift-types", json=body, headers={"X-CSRF-Token": token})
    assert accepted.status_code == 201
    assert web.client.get("/api/v1/shift-types").status_code == 200  # reads need no token


def test_pages_send_the_csrf_token_with_htmx_requests(web: WebApp) -> None:
    page = web.client.get("/program")
    body = parse(page.text).all("body")[0]
    assert body.attrs["hx-headers"] == f'{{"X-CSRF-Token": "{csrf_of(page)}"}}'


def test_changing_the_password_in_the_page(web: WebApp) -> None:
    add_user(web.session_factory, "resident", username="rosa")
    sign_in(web.anonymous)
    form = web.anonymous.get("/account/password")
    assert form.status_code == 200
    token = csrf_of(form)
    mismatch = web.anonymous.post(
        "/account/password",
        data={
            "csrf_token": token,
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD + "x",
        },
    )
    assert mismatch.status_code == 422
    page = parse(mismatch.text)
    confirm = page.by_id("confirm-password")
    assert confirm is not None
    assert confirm.attrs["aria-invalid"] == "true"
    assert "confirm-password-error" in confirm.attrs["aria-describedby"]
    assert page.by_id("confirm-password-error") is not None
    weak = web.anonymous.post(
        "/account/password",
        data={
            "csrf_token": token,
            "current_password": PASSWORD,
            "new_password": "short",
            "confirm_password": "short",
        },
    )
    assert weak.status_code == 422
    assert "at least 12 characters" in weak.text
    done = web.anonymous.post(
        "/account/password",
        data={
            "csrf_token": token,
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
        follow_redirects=False,
    )
    assert (done.status_code, done.headers["location"]) == (303, "/account/password?notice=changed")
    assert "Your password was changed" in web.anonymous.get(done.headers["location"]).text
    assert sign_in(TestClient(web.app), password=PASSWORD).status_code == 401
    assert sign_in(TestClient(web.app), password=NEW_PASSWORD).status_code == 303
    actions = [e.action for e in list_audit_events(factory=web.session_factory).items]
    assert "user.password" in actions
