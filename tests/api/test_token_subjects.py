"""A correctly signed token with an absurd subject (``sub``), and an absurd session cookie,
are a clean 401 (a sign-in redirect for pages), never a 500: the subject is checked before it
reaches a query (SQLite cannot bind 10**40; PostgreSQL refuses it as an integer)."""

from __future__ import annotations

import jwt
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from resched.http.cookies import SESSION_COOKIE
from resched.services.auth.tokens import ALGORITHM
from tests.accounts import access_token, add_user, session_cookie

ABSURD_SUBJECTS = [
    "1" * 40,  # 10**40-ish: past every integer column
    str(2**63),  # one past the 64-bit range
    str(2**63 - 1),  # a 64-bit id: past PostgreSQL's 32-bit id column
    str(2**31),  # one past the 32-bit id column
    str(2**31 - 1),  # in range, no such user
    "9" * 2500,  # thousands of digits, still inside the token length limit
    "x" * 100_000,  # a 100 kB subject
    "-1",
    "0",
    " 7",
    "1_0",
    "١٢",  # Arabic-Indic digits: int() would take them
    10**40,  # a number instead of a string
]


def _token_with_subject(app: FastAPI, user_id: int, subject: object) -> str:
    real = access_token(app, user_id)
    claims = jwt.decode(real, options={"verify_signature": False})
    claims["sub"] = subject
    return jwt.encode(claims, app.state.security.tokens.key, algorithm=ALGORITHM)


@pytest.mark.parametrize("subject", ABSURD_SUBJECTS, ids=lambda s: repr(s)[:20])
def test_absurd_subject_in_an_access_token_is_401(
    app: FastAPI, anonymous: TestClient, subject: object
) -> None:
    user_id = add_user(app.state.session_factory, "coordinator")
    token = _token_with_subject(app, user_id, subject)
    response = anonymous.get("auth/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'


@pytest.mark.parametrize("subject", ["1" * 40, "x" * 1000], ids=["huge-number", "long-text"])
def test_absurd_subject_in_a_refresh_token_is_401(
    app: FastAPI, anonymous: TestClient, subject: str
) -> None:
    user_id = add_user(app.state.session_factory, "coordinator")
    real = access_token(app, user_id)
    claims = jwt.decode(real, options={"verify_signature": False})
    claims.update(sub=subject, typ="refresh")
    token = jwt.encode(claims, app.state.security.tokens.key, algorithm=ALGORITHM)
    response = anonymous.post("auth/refresh", json={"refresh_token": token})
    assert response.status_code == 401


def test_the_real_subject_still_signs_in(app: FastAPI, anonymous: TestClient) -> None:
    user_id = add_user(app.state.session_factory, "coordinator")
    token = _token_with_subject(app, user_id, str(user_id))
    response = anonymous.get("auth/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


@pytest.mark.parametrize("cookie", ["9" * 40, "x" * 100_000])
def test_absurd_session_cookie_is_a_sign_in(app: FastAPI, cookie: str) -> None:
    add_user(app.state.session_factory, "coordinator")
    with TestClient(app, follow_redirects=False) as browser:
        browser.cookies.set(SESSION_COOKIE, cookie)
        page = browser.get("/program")
        api = browser.get("/api/v1/auth/me")
    assert page.status_code == 303
    assert page.headers["location"].startswith("/login")
    assert api.status_code == 401


def test_a_real_session_cookie_still_works(app: FastAPI) -> None:
    user_id = add_user(app.state.session_factory, "coordinator")
    with TestClient(app) as browser:
        browser.cookies.set(SESSION_COOKIE, session_cookie(app, user_id))
        assert browser.get("/api/v1/auth/me").status_code == 200
