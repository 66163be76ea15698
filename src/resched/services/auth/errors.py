"""The two ways a sign-in fails that are not a domain rule: who you are is not established
(401), or you are asking too often (429)."""

from __future__ import annotations

from resched.core.errors import DomainError


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

    def __init__(self, retry_after: int) -> None:
        self.retry_after = max(1, int(retry_after))
        super().__init__(
            f"too many sign-in attempts; try again in {self.retry_after} seconds",
            details={"retry_after": self.retry_after},
        )
