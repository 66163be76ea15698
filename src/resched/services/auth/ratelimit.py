"""Login rate limits and lockout, over a small counter store (memory or Redis).

- Per account (the username, case-insensitive): at most N attempts a minute, and after
  repeated failures a lockout that doubles with each further failure (1 min, 2, 4, ... capped
  at an hour). A success clears it.
- Per client address: only FAILED attempts count (100 in 10 minutes by default), with no
  lockout. A hospital signs in through one NAT address at 07:00: hundreds of colleagues
  signing in successfully never use up the address's budget; a password guesser does.
- Password changes: wrong current passwords lock the account's password change the same
  growing way (a stolen session must not make unlimited argon2 guesses).

A locked or over-limit key is refused before the password is even checked, so guessing gets
no answers while it lasts.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Protocol

from resched.services.auth.errors import RateLimited, StoreFull

WINDOW_SECONDS = 60
FAILURE_MEMORY_SECONDS = 24 * 3600
IPV6_CLIENT_PREFIX = 64  # one household or host gets a /64: counting single addresses is moot


class CounterStore(Protocol):
    def hit(self, key: str, window_seconds: int, owner: str | None = None) -> tuple[int, int]:
        """Count one event under ``key``; (count in the current window, seconds left).
        ``owner`` (a client key) is charged for a new key in stores that bound memory; such a
        store raises StoreFull when it has no room for the new key."""
        ...

    def peek(self, key: str) -> tuple[int, int]:
        """(count in the current window, seconds left) without counting; (0, 0) if none."""
        ...

    def lock(self, key: str, seconds: int) -> None: ...

    def locked_for(self, key: str) -> int:
        """Seconds until ``key`` unlocks; 0 when it is not locked."""
        ...

    def clear(self, *keys: str) -> bool:
        """Forget ``keys``; False when only a stand-in forgot them (Redis unreachable: the
        shared store still has them until they expire)."""
        ...


@dataclass
class LoginLimiter:
    store: CounterStore
    per_username: int = 5
    client_failures: int = 100
    client_failure_window_seconds: int = 600
    lockout_after: int = 5
    lockout_base_seconds: int = 60
    lockout_max_seconds: int = 3600

    def before_attempt(self, *, username: str, client: str | None) -> None:
        """Raise RateLimited (with seconds to wait) or count this attempt."""
        account = _user_key(username)
        self._refuse_if_locked(account)
        owner = _client_key(client)
        if owner is not None:
            failures, left = self.store.peek(f"fail:{owner}")
            if failures >= self.client_failures:
                raise RateLimited(left)
        try:
            count, left = self.store.hit(f"rate:{account}", WINDOW_SECONDS, owner)
        except StoreFull:
            raise RateLimited(WINDOW_SECONDS) from None
        if count > self.per_username:
            raise RateLimited(left)

    def after_failure(self, *, username: str, client: str | None = None) -> None:
        owner = _client_key(client)
        if owner is not None:
            self._remember(f"fail:{owner}", self.client_failure_window_seconds, owner)
        self._count_failure(_user_key(username), owner)

    def after_success(self, *, username: str) -> None:
        # The address's failures stay: a guesser who also knows one password must not be
        # able to wipe the address's record with it.
        account = _user_key(username)
        self.store.clear(f"fail:{account}", f"lock:{account}")

    def before_password_check(self, *, user_id: int) -> None:
        """Before checking the current password of a password change: RateLimited while
        wrong guesses have locked it."""
        self._refuse_if_locked(_password_key(user_id), what="wrong current passwords")

    def after_password_failure(self, *, user_id: int) -> None:
        self._count_failure(_password_key(user_id), None)

    def after_password_success(self, *, user_id: int) -> bool:
        account = _password_key(user_id)
        return self.store.clear(f"fail:{account}", f"lock:{account}")

    def forget_account(self, *, username: str, user_id: int) -> bool:
        """After an administrator's reset: the owner's earlier attempts no longer count.
        False when the shared store (Redis) could not be reached: only this process forgot
        them, and a lockout kept there lasts until it ends by itself (lockout_max_seconds
        at most)."""
        account = _user_key(username)
        signs_in = self.store.clear(f"rate:{account}", f"fail:{account}", f"lock:{account}")
        changes = self.after_password_success(user_id=user_id)
        return signs_in and changes

    def _refuse_if_locked(self, account: str, *, what: str = "sign-in attempts") -> None:
        wait = self.store.locked_for(f"lock:{account}")
        if wait:
            raise RateLimited(wait, what=what)

    def _count_failure(self, account: str, owner: str | None) -> None:
        failures = self._remember(f"fail:{account}", FAILURE_MEMORY_SECONDS, owner)
        if failures >= self.lockout_after:
            doublings = min(failures - self.lockout_after, 20)
            seconds = min(self.lockout_base_seconds * 2**doublings, self.lockout_max_seconds)
            self.store.lock(f"lock:{account}", seconds)

    def _remember(self, key: str, window_seconds: int, owner: str | None) -> int:
        try:
            return self.store.hit(key, window_seconds, owner)[0]
        except StoreFull:
            # The attempt was already refused or checked; a full store only means this
            # failure is not counted (the next attempt, needing room, is refused).
            return 0


def _user_key(username: str) -> str:
    # Case-folded: "Admin" and "admin" share one budget. Hex keeps odd input out of the keys.
    return "user:" + username.casefold().encode().hex()[:200]


def _password_key(user_id: int) -> str:
    return f"password:{user_id}"


def _client_key(client: str | None) -> str | None:
    if not client:
        return None
    try:
        address = ipaddress.ip_address(client)
    except ValueError:
        return "client:" + client.encode().hex()[:128]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return f"client:{address.ipv4_mapped}"
        return f"client:{ipaddress.IPv6Network((address, IPV6_CLIENT_PREFIX), strict=False)}"
    return f"client:{address}"
