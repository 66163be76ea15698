"""The administrator's pages: users (list, create, change role, deactivate; audited) and the
audit search (filters, date range, pages); refused to every other role. And the
accessibility basics on every new page."""

from __future__ import annotations

import datetime as dt

import httpx2
import pytest
from fastapi.testclient import TestClient

from resched.services.accounts import list_users
from resched.services.audit import list_audit_events
from tests.web.conftest import WebApp
from tests.web.htmlcheck import parse
from tests.web.test_sign_in import csrf_of

pytestmark = pytest.mark.db

NEW_PASSWORD = "quiet-harbour-violin-77"


@pytest.fixture
def admin(web: WebApp) -> TestClient:
    return web.client_as("admin", username="boss")


def _user_id(web: WebApp, username: str) -> int:
    return next(
        u.id for u in list_users(factory=web.session_factory).items if u.username == username
    )


@pytest.mark.parametrize("role", ["resident", "faculty", "coordinator"])
@pytest.mark.parametrize("path", ["/admin/users", "/admin/audit"])
def test_only_admins_open_the_admin_pages(web: WebApp, role: str, path: str) -> None:
    response = web.client_as(role).get(path)
    assert response.status_code == 403
    assert "You cannot open this page" in response.text


def test_admins_see_the_admin_pages_in_the_navigation(admin: TestClient) -> None:
    page = parse(admin.get("/program").text)
    nav = next(n for n in page.iter("nav") if n.attrs.get("aria-label") == "Main")
    links = [a.attrs["href"] for a in nav.iter("a")]
    assert "/admin/users" in links
    assert "/admin/audit" in links


def test_creating_changing_and_deactivating_an_account(web: WebApp, admin: TestClient) -> None:
    page = admin.get("/admin/users")
    token = csrf_of(page)
    created = admin.post(
        "/admin/users",
        data={
            "csrf_token": token,
            "username": "newchief",
            "password": NEW_PASSWORD,
            "role": "coordinator",
            "person_code": "",
        },
        follow_redirects=False,
    )
    assert (created.status_code, created.headers["location"]) == (
        303,
        "/admin/users?notice=created",
    )
    listing = admin.get("/admin/users?notice=created")
    assert "The account was created." in listing.text
    assert "newchief" in listing.text
    new_id = _user_id(web, "newchief")
    role = admin.post(f"/admin/users/{new_id}/role", data={"csrf_token": token, "role": "admin"})
    assert role.status_code == 200
    assert "The role was changed." in role.text
    off = admin.post(f"/admin/users/{new_id}/active", data={"csrf_token": token, "active": "false"})
    assert "deactivated" in off.text
    events = list_audit_events(factory=web.session_factory, entity="user").items
    assert [(e.action, e.actor) for e in events] == [
        ("user.create", "boss"),
        ("user.role", "boss"),
        ("user.deactivate", "boss"),
    ]
    assert all(e.request_id and e.client_address == "testclient" for e in events)


def test_form_errors_are_tied_to_their_fields(admin: TestClient) -> None:
    token = csrf_of(admin.get("/admin/users"))
    response = admin.post(
        "/admin/users",
        data={
            "csrf_token": token,
            "username": "rosa",
            "password": "short",
            "role": "resident",
            "person_code": "",
        },
    )
    assert response.status_code == 422
    page = parse(response.text)
    password = page.by_id("new-password")
    assert password is not None
    assert password.attrs["aria-invalid"] == "true"
    assert "new-password-error" in password.attrs["aria-describedby"]
    summary = next(d for d in page.iter("div") if "error-summary" in d.attrs.get("class", ""))
    assert [a.attrs["href"] for a in summary.iter("a")] == ["#new-password"]
    assert "value" not in password.attrs  # a password is never echoed back


def test_the_last_admin_is_protected_in_the_page(web: WebApp, admin: TestClient) -> None:
    boss_id = _user_id(web, "boss")
    token = csrf_of(admin.get("/admin/users"))
    response = admin.post(
        f"/admin/users/{boss_id}/active",
        data={"csrf_token": token, "active": "false"},
        follow_redirects=False,
    )
    # Refused, and redirected like a success: reloading the page that says why sends nothing.
    assert response.status_code == 303
    page = admin.get(response.headers["location"])
    assert page.request.method == "GET"
    assert "last active administrator" in page.text
    refused_role = admin.post(
        f"/admin/users/{boss_id}/role",
        data={"csrf_token": token, "role": "resident"},
        follow_redirects=False,
    )
    assert refused_role.status_code == 303
    assert "last" in admin.get(refused_role.headers["location"]).text
    missing = admin.post("/admin/users/424242/role", data={"csrf_token": token, "role": "admin"})
    assert missing.status_code == 404


def test_deactivating_asks_for_confirmation_first(web: WebApp, admin: TestClient) -> None:
    listing = parse(admin.get("/admin/users").text)
    chief_id = _user_id(web, "chief")
    # The list's Deactivate opens a confirmation page (a GET), it does not deactivate.
    forms = [f for f in listing.iter("form") if f.attrs["action"].endswith("/deactivate")]
    assert {f.attrs["method"] for f in forms} == {"get"}
    confirm = admin.get(f"/admin/users/{chief_id}/deactivate")
    assert confirm.status_code == 200
    assert "Deactivate chief?" in confirm.text
    assert all(u.active for u in list_users(factory=web.session_factory).items)
    form = next(f for f in parse(confirm.text).iter("form") if "/active" in f.attrs["action"])
    assert form.attrs["action"] == f"/admin/users/{chief_id}/active"
    done = admin.post(
        form.attrs["action"], data={"csrf_token": csrf_of(confirm), "active": "false"}
    )
    assert "The account was deactivated" in done.text
    chief = next(u for u in list_users(factory=web.session_factory).items if u.id == chief_id)
    assert not chief.active
    assert admin.get("/admin/users/424242/deactivate").status_code == 404


def test_the_audit_search_filters_and_pages(web: WebApp, admin: TestClient) -> None:
    token = csrf_of(admin.get("/admin/users"))
    for n in range(3):
        admin.post(
            "/admin/users",
            data={
                "csrf_token": token,
                "username": f"user{n}",
                "password": NEW_PASSWORD,
                "role": "coordinator",
                "person_code": "",
            },
        )
    page = parse(admin.get("/admin/audit", params={"action": "user.create"}).text)
    rows = page.by_id("audit-title").parent.all("tr")[1:]  # type: ignore[union-attr]
    assert len(rows) == 3
    assert "user2" in rows[0].text  # newest first
    assert all("boss" in row.text for row in rows)
    none = admin.get("/admin/audit", params={"actor": "nobody"})
    assert "0 events" in none.text
    today = dt.datetime.now(dt.UTC).date()
    in_range = admin.get(
        "/admin/audit",
        params={"entity": "user", "from": today.isoformat(), "to": today.isoformat()},
    )
    assert "3 events" in in_range.text
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    assert "0 events" in admin.get("/admin/audit", params={"from": tomorrow}).text
    bad = admin.get("/admin/audit", params={"from": "yesterday"})
    assert bad.status_code == 422
    assert "YYYY-MM-DD" in bad.text
    backwards = admin.get("/admin/audit", params={"from": tomorrow, "to": today.isoformat()})
    assert backwards.status_code == 422


def test_the_audit_search_has_pages(web: WebApp, admin: TestClient) -> None:
    token = csrf_of(admin.get("/admin/users"))
    chief_id = _user_id(web, "chief")
    for _ in range(26):  # 52 events: two pages of 50
        for role in ("admin", "coordinator"):
            changed = admin.post(
                f"/admin/users/{chief_id}/role", data={"csrf_token": token, "role": role}
            )
            assert changed.status_code == 200
    first = parse(admin.get("/admin/audit").text)
    pager = next(n for n in first.iter("nav") if n.attrs.get("aria-label") == "Pages of events")
    older = [a.attrs["href"] for a in pager.iter("a")]
    assert older == ["/admin/audit?offset=50"]
    second = admin.get(older[0])
    assert "showing 51 to 52" in second.text


NEW_PAGES = ["/login", "/account/password", "/admin/users", "/admin/audit"]


def test_the_new_pages_keep_the_accessibility_basics(web: WebApp, admin: TestClient) -> None:
    for path in NEW_PAGES:
        client = web.anonymous if path == "/login" else admin
        check_accessibility_basics(path, client.get(path))


def check_accessibility_basics(path: str, response: httpx2.Response) -> None:
    """One h1, labelled controls, no inline script or style, a CSRF token in every POST form."""
    assert response.status_code == 200, path
    page = parse(response.text)
    assert len(page.all("h1")) == 1, path
    label_for = {label.attrs.get("for") for label in page.iter("label")}
    for tag in ("input", "select"):
        for control in page.iter(tag):
            if control.attrs.get("type") in ("hidden", "submit"):
                continue
            assert control.attrs.get("id") in label_for, (path, control.attrs)
    for script in page.iter("script"):
        assert script.attrs.get("src", "").startswith("/static/")
        assert not script.text
    assert not page.all("style"), path
    for element in page.iter():
        assert "style" not in element.attrs, (path, element.tag)
        assert not [a for a in element.attrs if a.startswith("on")], (path, element.tag)
    for form in page.iter("form"):
        if form.attrs.get("method") == "post":
            hidden = [i.attrs.get("name") for i in form.iter("input")]
            assert "csrf_token" in hidden, (path, form.attrs)


def test_the_audit_trail_reads_as_sentences_and_field_changes(
    web: WebApp, admin: TestClient
) -> None:
    token = csrf_of(admin.get("/admin/users"))
    chief_id = _user_id(web, "chief")
    admin.post(f"/admin/users/{chief_id}/role", data={"csrf_token": token, "role": "admin"})
    page = admin.get("/admin/audit", params={"action": "user.role"})
    tree = parse(page.text)
    rows = tree.by_id("audit-title").parent.all("tr")[1:]  # type: ignore[union-attr]
    assert len(rows) == 1
    assert f"boss changed the role of user {chief_id}." in rows[0].text
    assert "role: coordinator → admin" in rows[0].text
    assert '{"' not in rows[0].text  # no raw JSON records
    assert "As the Action column names it" in page.text


def test_actions_have_one_naming_scheme_in_the_page_and_its_filter(web: WebApp) -> None:
    from resched.services import people
    from tests import builders

    admin = web.client_as("admin", username="boss")
    people.create_person(
        factory=web.session_factory, profile=builders.resident("zz9"), actor="boss"
    )
    page = admin.get("/admin/audit", params={"action": "person.create"})
    rows = parse(page.text).by_id("audit-title").parent.all("tr")[1:]  # type: ignore[union-attr]
    assert rows
    assert all("person.create" in row.text for row in rows)
