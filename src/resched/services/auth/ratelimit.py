"""Login rate limits and lockout, over a small counter store (memory or Redis).

- Per username: at most N attempts a minute, and after repeated failures a lockout that
  doubles with each further failure (1 min, 2, 4, ... capped at an hour). A success clears it.
- Per client address: at most M attempts a minute, no lockout, so one mistyping colleague
  behind a hospital's shared address cannot lock everyone else out for long.

A locked or over-limit key is refused before the password is even checked, so guessing gets
no answers while it lasts.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from resched.services.auth.errors import RateLimited

WINDOW_SECONDS = 60
FAILURE_MEMORY_SECONDS = 24 * 3600


class CounterStore(Protocol):
    def hit(self, key: str, window_seconds: int) -> tuple[int, int]:
        """Count one event under ``key``; (count in the current window, seconds left)."""
        ...

    def lock(self, key: str, seconds: int) -> None: ...

    def locked_for(self, key: str) -> int:
        """Seconds until ``key`` unlocks; 0 when it is not locked."""
        ...

    def clear(self, *keys: str) -> None: ...


@dataclass
class LoginLimiter:
    store: CounterStore
    per_username: int = 5
    per_client: int = 5
    lockout_after: int = 5
    lockout_base_seconds: int = 60
    lockout_max_seconds: int = 3600

    def before_attempt(self, *, username: str, client: str | None) -> None:
        """Raise RateLimited (with seconds to wait) or count this attempt."""
        user_key = _user_key(username)
        wait = self.store.locked_for(f"lock:{user_key}")
        if wait:
            raise RateLimited(wait)
        limits = [(f"rate:{user_key}", self.per_username)]
        if client:
            limits.append((f"rate:client:{client}", self.per_client))
        for key, limit in limits:
            count, left = self.store.hit(key, WINDOW_SECONDS)
            if count > limit:
                raise RateLimited(left)

    def after_failure(self, *, username: str) -> None:
        user_key = _user_key(username)
        failures, _ = self.store.hit(f"fail:{user_key}", FAILURE_MEMORY_SECONDS)
        if failures >= self.lockout_after:
            doublings = min(failures - self.lockout_after, 20)
            seconds = min(self.lockout_base_seconds * 2**doublings, self.lockout_max_seconds)
            self.store.lock(f"lock:{user_key}", seconds)

    def after_success(self, *, username: str) -> None:
        user_key = _user_key(username)
        self.store.clear(f"fail:{user_key}", f"lock:{user_key}")


def _user_key(username: str) -> str:
    # Case-folded: "Admin" and "admin" share one budget. Hex keeps odd input out of the keys.
    return "user:" + username.casefold().encode().hex()[:200]


@dataclass
class MemoryStore:
    """Counters in this process (the embedded mode: one server process)."""

    clock: Callable[[], float] = time.monotonic
    max_keys: int = 100_000
    _counters: dict[str, tuple[int, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def hit(self, key: str, window_seconds: int) -> tuple[int, int]:
        with self._lock:
            now = self.clock()
            count, expires = self._live(key, now) or (0, now + window_seconds)
            self._counters[key] = (count + 1, expires)
            self._bound(now)
            return count + 1, _ceil(expires - now)

    def lock(self, key: str, seconds: int) -> None:
        with self._lock:
            self._counters[key] = (1, self.clock() + seconds)

    def locked_for(self, key: str) -> int:
        with self._lock:
            now = self.clock()
            live = self._live(key, now)
            return 0 if live is None else _ceil(live[1] - now)

    def clear(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._counters.pop(key, None)

    def _live(self, key: str, now: float) -> tuple[int, float] | None:
        entry = self._counters.get(key)
        if entry is None or entry[1] <= now:
            self._counters.pop(key, None)
            return None
        return entry

    def _bound(self, now: float) -> None:
        # Many distinct usernames must not grow memory without limit: drop expired entries,
        # and if that is not enough, the oldest ones.
        if len(self._counters) <= self.max_keys:
            return
        for key in [k for k, (_, expires) in self._counters.items() if expires <= now]:
            del self._counters[key]
        while len(self._counters) > self.max_keys:
            del self._counters[next(iter(self._counters))]


def _ceil(seconds: float) -> int:
    return max(1, math.ceil(seconds))
