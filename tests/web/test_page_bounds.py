"""Pages take the API's bounds: an id or an offset past the database's 32-bit range is a 422
HTML page naming the parameter (it used to be a 500 from the driver's overflow)."""

from __future__ import annotations

import httpx2
import pytest
from fastapi.testclient import TestClient

from resched.db.tables import UserRole
from tests.web.conftest import WebApp
from tests.web.htmlcheck import parse
from tests.web.test_sign_in import csrf_of

HUGE = "99999999999999999999"


def _assert_refused_page(response: httpx2.Response, parameter: str) -> None:
    assert response.status_code == 422, response.text[:300]
    assert response.headers["content-type"].startswith("text/html")
    page = parse(response.text)
    assert page.all("h1")[0].text == "That did not work"
    assert parameter in response.text


@pytest.fixture
def admin(web: WebApp) -> TestClient:
    return web.client_as(UserRole.ADMIN)


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        (f"/people/{HUGE}", "person_id"),
        (f"/people/{2**31}", "person_id"),
        ("/people/0", "person_id"),
        (f"/generate/drafts/{HUGE}", "version_id"),
        (f"/generate/runs/{HUGE}", "run_id"),
        (f"/generate/runs/{HUGE}/progress", "run_id"),
        (f"/jobs/{HUGE}/row", "job_id"),
        (f"/jobs?offset={HUGE}", "offset"),
        (f"/admin/users?offset={HUGE}", "offset"),
        (f"/admin/audit?offset={HUGE}", "offset"),
        (f"/requests?offset={HUGE}", "offset"),
        (f"/requests?person_id={HUGE}", "person_id"),
        (f"/program/rotations/{HUGE}", "item_id"),
        (f"/program/coverage/{2**31}", "item_id"),
        ("/program/shift-types/0", "item_id"),
    ],
)
def test_numbers_past_the_database_range_get_an_html_422(
    admin: TestClient, path: str, parameter: str
) -> None:
    _assert_refused_page(admin.get(path), parameter)


def test_the_largest_id_is_simply_not_found(web: WebApp) -> None:
    response = web.client.get(f"/people/{2**31 - 1}")
    assert response.status_code == 404
    assert "There is no person 2147483647." in response.text


@pytest.mark.parametrize("action", ["role", "active"])
def test_account_actions_bound_the_user_id(admin: TestClient, action: str) -> None:
    token = csrf_of(admin.get("/admin/users"))
    response = admin.post(f"/admin/users/{HUGE}/{action}", data={"csrf_token": token})
    _assert_refused_page(response, "user_id")


@pytest.mark.parametrize("action", ["withdraw", "decide", "delete"])
def test_request_actions_bound_the_request_id(admin: TestClient, action: str) -> None:
    token = csrf_of(admin.get("/requests"))
    response = admin.post(f"/requests/{HUGE}/{action}", data={"csrf_token": token})
    _assert_refused_page(response, "request_id")


def test_the_audit_page_takes_the_whole_calendar(admin: TestClient) -> None:
    response = admin.get("/admin/audit", params={"from": "0001-01-01", "to": "9999-12-31"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/plan?pgy=²",
        "/plan?pgy=" + "9" * 5000,
        "/compliance?version=²",
        "/compliance?version=" + "9" * 5000,
    ],
)
def test_numbers_python_cannot_read_are_no_500(admin: TestClient, path: str) -> None:
    # "²" passes str.isdigit() and 5,000 digits pass it too; int() refuses both.
    response = admin.get(path)
    assert response.status_code < 500, response.text[:300]
