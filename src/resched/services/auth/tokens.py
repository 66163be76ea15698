"""JSON Web Tokens (PyJWT): short-lived access tokens and rotating refresh tokens.

Verification pins the algorithm (HS256) instead of trusting the token's header, so neither
``alg: none`` nor an algorithm-confusion token is ever accepted, and it requires every claim
the rest of the code relies on. Any failure is ``Unauthenticated``, never a 500.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import jwt

from resched.services.auth.errors import Unauthenticated

ALGORITHM = "HS256"
ISSUER = "resched"
REQUIRED_CLAIMS = ("exp", "iat", "jti", "sub", "typ", "sid", "iss")
USER_ID = re.compile(r"[1-9][0-9]{0,9}")
MAX_USER_ID = 2**31 - 1  # app_user.id is a 32-bit integer on PostgreSQL
MAX_TOKEN_LENGTH = 4096  # ours are ~300 characters; anything far larger is not one of ours


class TokenType(StrEnum):
    ACCESS = "access"
    REFRESH = "refresh"


def derive_key(secret: str, purpose: str) -> bytes:
    """A separate key per purpose (tokens, CSRF, ...) from the one configured secret, so a
    value made for one purpose can never be replayed as another."""
    return hmac.new(secret.encode(), f"resched:{purpose}".encode(), hashlib.sha256).digest()


def digest(token: str) -> str:
    """What the database stores instead of a token: its SHA-256, hex."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class TokenPolicy:
    key: bytes
    access_lifetime: dt.timedelta = dt.timedelta(minutes=15)
    refresh_lifetime: dt.timedelta = dt.timedelta(days=7)

    def lifetime(self, token_type: TokenType) -> dt.timedelta:
        return self.access_lifetime if token_type is TokenType.ACCESS else self.refresh_lifetime


@dataclass(frozen=True, slots=True)
class Claims:
    user_id: int
    session_id: str
    token_type: TokenType
    jti: str
    issued_at: dt.datetime
    expires_at: dt.datetime


def issue(
    policy: TokenPolicy,
    *,
    user_id: int,
    session_id: str,
    token_type: TokenType,
    now: dt.datetime | None = None,
) -> tuple[str, Claims]:
    issued = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    claims = Claims(
        user_id=user_id,
        session_id=session_id,
        token_type=token_type,
        jti=secrets.token_hex(16),
        issued_at=issued,
        expires_at=issued + policy.lifetime(token_type),
    )
    payload = {
        "iss": ISSUER,
        "sub": str(user_id),
        "sid": session_id,
        "typ": token_type.value,
        "jti": claims.jti,
        "iat": issued,
        "exp": claims.expires_at,
    }
    return jwt.encode(payload, policy.key, algorithm=ALGORITHM), claims


def verify(policy: TokenPolicy, token: str, expected: TokenType) -> Claims:
    """The claims of a valid, unexpired token of the expected type; else Unauthenticated."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise Unauthenticated("invalid token", token_rejected=True)
    try:
        payload = jwt.decode(
            token,
            policy.key,
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            options={"require": list(REQUIRED_CLAIMS)},
        )
        return _claims_from(payload, expected)
    except (jwt.PyJWTError, ValueError, TypeError, KeyError, OverflowError, OSError) as exc:
        # The reason (expired, bad signature, ...) stays out of the response: it helps only
        # someone probing tokens.
        raise Unauthenticated("invalid or expired token", token_rejected=True) from exc


def _user_id(sub: object) -> int:
    """The ``sub`` we issue: a positive id that fits the id column. Anything else (10**40,
    2**31, a 3000-digit string, " 1_0 ") would reach the query and fail there."""
    if not isinstance(sub, str) or not USER_ID.fullmatch(sub) or int(sub) > MAX_USER_ID:
        raise ValueError("malformed subject")
    return int(sub)


def _claims_from(payload: dict[str, Any], expected: TokenType) -> Claims:
    if payload["typ"] != expected.value:
        raise ValueError("wrong token type")
    session_id, jti = payload["sid"], payload["jti"]
    if not isinstance(session_id, str) or not isinstance(jti, str):
        raise ValueError("malformed claims")
    return Claims(
        user_id=_user_id(payload["sub"]),
        session_id=session_id,
        token_type=expected,
        jti=jti,
        issued_at=dt.datetime.fromtimestamp(int(payload["iat"]), dt.UTC),
        expires_at=dt.datetime.fromtimestamp(int(payload["exp"]), dt.UTC),
    )
