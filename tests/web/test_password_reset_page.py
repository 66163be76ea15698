"""An administrator's password reset in the pages (a button, a confirmation, the one-time
password shown once), every page leading to the change form until the owner has chosen a new
password, the password change rate limited, and a NUL byte in the sign-in form."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from resched.services.accounts import UserAccount, list_users
from resched.services.audit import list_audit_events
from resched.services.permissions import Permission
from tests.accounts import PASSWORD, add_user
from tests.api.test_route_permissions import _api_routes, _declared
from tests.web.conftest import WebApp
from tests.web.test_admin_pages import check_accessibility_basics
from tests.web.test_sign_in import csrf_of, sign_in

pytestmark = pytest.mark.db

NEW_PASSWORD = "quiet-harbour-violin-77"
PASSWORD_PAGE = "/account/password"


@pytest.fixture
def admin(web: WebApp) -> TestClient:
    return web.client_as("admin", username="boss")


def _reset_in_the_page(admin: TestClient, user_id: int) -> str:
    users = admin.get("/admin/users")
    assert f'action="/admin/users/{user_id}/password-reset"' in users.text
    confirm = admin.get(f"/admin/users/{user_id}/password-reset")
    assert confirm.status_code == 200
    assert "Reset the password of rosa?" in confirm.text
    done = admin.post(
        f"/admin/users/{user_id}/password-reset", data={"csrf_token": csrf_of(confirm)}
    )
    assert done.status_code == 200, done.text
    found = re.search(r'id="one-time-password">([^<]+)<', done.text)
    assert found, done.text
    return found[1]


def test_an_administrator_resets_a_password_in_the_page(web: WebApp, admin: TestClient) -> None:
    user_id = add_user(web.session_factory, "resident", username="rosa")
    other = web.client_as("resident", username="someone-else")
    one_time = _reset_in_the_page(admin, user_id)
    assert admin.get("/admin/users").text.count(one_time) == 0  # shown once, not listed
    assert "must change password" in admin.get("/admin/users").text
    assert sign_in(web.anonymous, "rosa", PASSWORD).status_code == 401
    assert sign_in(web.anonymous, "rosa", one_time).status_code == 303
    assert other.get("/program").status_code == 200  # other accounts' sessions are untouched
    events = list_audit_events(factory=web.session_factory, entity="user").items
    reset = next(e for e in events if e.action == "user.password_reset")
    assert reset.actor == "boss"
    assert one_time not in str([(e.before, e.after) for e in events])


def test_a_reset_ends_the_persons_page_sessions(web: WebApp, admin: TestClient) -> None:
    user_id = add_user(web.session_factory, "resident", username="rosa")
    with TestClient(web.app) as rosa:
        assert sign_in(rosa, "rosa", PASSWORD).status_code == 303
        assert rosa.get("/program").status_code == 200
        _reset_in_the_page(admin, user_id)
        gone = rosa.get("/program", follow_redirects=False)
        assert gone.status_code == 303
        assert gone.headers["location"].startswith("/login")


def _page_routes(web: WebApp) -> list[tuple[str, set[Permission]]]:
    routes = []
    for route in _api_routes(web.app):
        permissions, public = _declared(route)
        if "GET" in route.methods and not public and not route.path.startswith("/api"):
            routes.append((re.sub(r"\{[^}]+\}", "1", route.path), permissions))
    return routes


def test_every_page_leads_to_the_password_change_until_done(web: WebApp, admin: TestClient) -> None:
    user_id = add_user(web.session_factory, "admin", username="rosa")
    one_time = _reset_in_the_page(admin, user_id)
    with TestClient(web.app) as rosa:
        assert sign_in(rosa, "rosa", one_time, next_path="/program").status_code == 303
        checked = 0
        for path, permissions in _page_routes(web):
            response = rosa.get(path, follow_redirects=False)
            if permissions == {Permission.ACCOUNT_SELF}:
                assert response.status_code == 200, path
                continue
            assert response.status_code == 303, (path, response.status_code)
            assert response.headers["location"] == PASSWORD_PAGE
            checked += 1
        assert checked >= 12, checked
        htmx = rosa.get("/plan", headers={"HX-Request": "true"})
        assert htmx.headers["hx-redirect"] == PASSWORD_PAGE
        form = rosa.get(PASSWORD_PAGE)
        assert "Your password was reset by an administrator" in form.text
        changed = rosa.post(
            PASSWORD_PAGE,
            data={
                "csrf_token": csrf_of(form),
                "current_password": one_time,
                "new_password": NEW_PASSWORD,
                "confirm_password": NEW_PASSWORD,
            },
            follow_redirects=False,
        )
        assert changed.status_code == 303
        assert rosa.get("/program").status_code == 200
        assert "reset by an administrator" not in rosa.get(PASSWORD_PAGE).text


def test_only_administrators_open_the_reset_pages(web: WebApp) -> None:
    user_id = add_user(web.session_factory, "resident", username="rosa")
    coordinator = web.client
    assert coordinator.get(f"/admin/users/{user_id}/password-reset").status_code == 403
    token = csrf_of(coordinator.get(PASSWORD_PAGE))
    refused = coordinator.post(f"/admin/users/{user_id}/password-reset", data={"csrf_token": token})
    assert refused.status_code == 403
    assert sign_in(web.anonymous, "rosa", PASSWORD).status_code == 303  # unchanged


def test_an_administrator_cannot_reset_their_own_password_in_the_page(
    web: WebApp, admin: TestClient
) -> None:
    me = next(u for u in _users(web) if u.username == "boss")
    listing = admin.get("/admin/users").text
    assert f'action="/admin/users/{me.id}/password-reset"' not in listing  # no button for oneself
    page = admin.get(f"/admin/users/{me.id}/password-reset")
    refused = admin.post(f"/admin/users/{me.id}/password-reset", data={"csrf_token": csrf_of(page)})
    assert refused.status_code == 409
    assert "change it on the Change password page" in refused.text
    assert admin.get("/admin/users").status_code == 200  # still signed in


def _users(web: WebApp) -> list[UserAccount]:
    return list(list_users(factory=web.session_factory).items)


def test_wrong_current_passwords_in_the_page_are_rate_limited(web: WebApp) -> None:
    token = csrf_of(web.client.get(PASSWORD_PAGE))
    data = {"csrf_token": token, "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}
    for n in range(5):
        wrong = web.client.post(PASSWORD_PAGE, data={**data, "current_password": f"guess-{n}"})
        assert wrong.status_code == 422
    limited = web.client.post(PASSWORD_PAGE, data={**data, "current_password": PASSWORD})
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) >= 1
    assert "Too many wrong attempts" in limited.text


@pytest.mark.parametrize(
    ("username", "password"), [("ro\x00sa", PASSWORD), ("rosa", f"{PASSWORD}\x00")]
)
def test_a_nul_byte_in_the_sign_in_form_re_renders_it(
    web: WebApp, username: str, password: str
) -> None:
    add_user(web.session_factory, "resident", username="rosa")
    response = sign_in(web.anonymous, username, password)
    assert response.status_code == 422
    assert "a character not allowed" in response.text
    assert "\x00" not in response.text


def test_the_reset_pages_keep_the_accessibility_basics(web: WebApp, admin: TestClient) -> None:
    user_id = add_user(web.session_factory, "resident", username="rosa")
    path = f"/admin/users/{user_id}/password-reset"
    confirm = admin.get(path)
    check_accessibility_basics(path, confirm)
    check_accessibility_basics(path, admin.post(path, data={"csrf_token": csrf_of(confirm)}))


@pytest.mark.parametrize(
    ("field", "value"),
    [("username", "new\x00chief"), ("password", NEW_PASSWORD + "\x00"), ("person_code", "r\x00")],
)
def test_a_nul_byte_in_the_new_account_form_is_an_error_next_to_the_field(
    web: WebApp, admin: TestClient, field: str, value: str
) -> None:
    form = {"username": "newchief", "password": NEW_PASSWORD, "role": "resident",
            "person_code": "res-1", field: value}  # fmt: skip
    token = csrf_of(admin.get("/admin/users"))
    response = admin.post("/admin/users", data={**form, "csrf_token": token})
    assert response.status_code == 422, response.text
    assert "NUL" in response.text or "letters, digits" in response.text
    assert "newchief" not in [u.username for u in _users(web)]
