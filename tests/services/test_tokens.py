"""Tokens: issued with every claim, verified with the algorithm pinned; every kind of bad
token is Unauthenticated (never another exception)."""

from __future__ import annotations

import base64
import datetime as dt
import json
import warnings

import jwt
import pytest

from resched.services.auth.errors import Unauthenticated
from resched.services.auth.tokens import (
    ISSUER,
    TokenPolicy,
    TokenType,
    derive_key,
    digest,
    issue,
    verify,
)

POLICY = TokenPolicy(key=derive_key("test-secret", "jwt"))
NOW = dt.datetime.now(dt.UTC)


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _payload(**changes: object) -> dict[str, object]:
    payload: dict[str, object] = {
        "iss": ISSUER,
        "sub": "1",
        "sid": "a" * 32,
        "typ": "access",
        "jti": "j" * 32,
        "iat": int(NOW.timestamp()),
        "exp": int((NOW + dt.timedelta(minutes=5)).timestamp()),
    }
    payload.update(changes)
    return {k: v for k, v in payload.items() if v is not None}


def test_issued_tokens_carry_every_claim_and_verify() -> None:
    token, claims = issue(POLICY, user_id=42, session_id="s" * 32, token_type=TokenType.ACCESS)
    payload = jwt.decode(token, options={"verify_signature": False})
    assert set(payload) == {"iss", "sub", "sid", "typ", "jti", "iat", "exp"}
    assert jwt.get_unverified_header(token)["alg"] == "HS256"
    assert payload["exp"] - payload["iat"] == 15 * 60
    verified = verify(POLICY, token, TokenType.ACCESS)
    assert verified == claims
    assert (verified.user_id, verified.session_id) == (42, "s" * 32)


def test_every_token_has_its_own_jti() -> None:
    first, _ = issue(POLICY, user_id=1, session_id="s", token_type=TokenType.REFRESH)
    second, _ = issue(POLICY, user_id=1, session_id="s", token_type=TokenType.REFRESH)
    assert (
        jwt.decode(first, options={"verify_signature": False})["jti"]
        != jwt.decode(second, options={"verify_signature": False})["jti"]
    )


def _bad_tokens() -> dict[str, str]:
    good_key = POLICY.key
    with warnings.catch_warnings():
        # PyJWT warns that 32 bytes are short for HS512: that token is wrong on purpose.
        warnings.simplefilter("ignore")
        hs512 = jwt.encode(_payload(), good_key, algorithm="HS512")
    unsigned = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(_payload())}."
    return {
        "empty": "",
        "garbage": "not-a-token",
        "three garbage parts": "a.b.c",
        "bad base64": "!!!.###.$$$",
        "payload not json": f"{_b64({'alg': 'HS256'})}.bm90IGpzb24.sig",
        "huge": "a" * 100_000,
        "alg none": unsigned,
        "alg none, signature kept": unsigned + "c2ln",
        "HS512 with the right key": hs512,
        "wrongly signed": jwt.encode(_payload(), b"x" * 32, algorithm="HS256"),
        "expired": jwt.encode(
            _payload(exp=int((NOW - dt.timedelta(seconds=5)).timestamp())), good_key
        ),
        "refresh used as access": jwt.encode(_payload(typ="refresh"), good_key),
        "no jti": jwt.encode(_payload(jti=None), good_key),
        "no sid": jwt.encode(_payload(sid=None), good_key),
        "no exp": jwt.encode(_payload(exp=None), good_key),
        "no iat": jwt.encode(_payload(iat=None), good_key),
        "other issuer": jwt.encode(_payload(iss="elsewhere"), good_key),
        "non-numeric subject": jwt.encode(_payload(sub="admin"), good_key),
        "exp far beyond any date": jwt.encode(_payload(exp=10**20), good_key),
        "sid not a string": jwt.encode(_payload(sid=5), good_key),
    }


@pytest.mark.parametrize(("name", "token"), list(_bad_tokens().items()))
def test_bad_tokens_are_unauthenticated(name: str, token: str) -> None:
    with pytest.raises(Unauthenticated) as raised:
        verify(POLICY, token, TokenType.ACCESS)
    assert raised.value.token_rejected, name


def test_keys_differ_by_purpose_and_tokens_are_stored_as_digests() -> None:
    assert derive_key("s", "jwt") != derive_key("s", "csrf")
    assert len(derive_key("s", "jwt")) == 32
    assert digest("token") == digest("token") != "token"
    assert len(digest("token")) == 64
