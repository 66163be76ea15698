"""The ways a sign-in fails that are not a domain rule: who you are is not established (401),
you are asking too often (429), or you must change a reset password first (403)."""

from __future__ import annotations

from resched.core.errors import DomainError, Forbidden


class Unauthenticated(DomainError):
    """No valid credentials. The message is deliberately the same for every cause a client
    could learn something from (unknown user, wrong password, revoked or expired token)."""

    code = "unauthorized"

    def __init__(self, message: str = "sign in required", *, token_rejected: bool = False):
        super().__init__(message)
        # A bearer token was presented and refused (RFC 6750: error="invalid_token").
        self.token_rejected = token_rejected


class RateLimited(DomainError):
    code = "too_many_requests"

    def __init__(self, retry_after: int, *, what: str = "sign-in attempts") -> None:
        self.retry_after = max(1, int(retry_after))
        super().__init__(
            f"too many {what}; try again in {self.retry_after} seconds",
            details={"retry_after": self.retry_after},
        )


class PasswordChangeRequired(Forbidden):
    """Signed in with a one-time password: nothing but the password change until then."""

    code = "password_change_required"

    def __init__(self) -> None:
        super().__init__(
            "your password was reset; choose a new one (POST /api/v1/auth/password, or the "
            "Change password page) before doing anything else",
            details={"change_password": "/api/v1/auth/password"},
        )


class StoreFull(Exception):
    """The in-memory counter store has no room for a new key (an attack from many
    addresses): the limiter refuses the attempt rather than forget anyone's counters."""


class StoreUnavailable(Exception):
    """The shared counter store (Redis) cannot be reached: resched.services.auth.fallback_store
    counts in this process until it answers again."""
