"""Login counters in Redis, shared by every server process (production)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import redis

from resched.services.auth.errors import StoreUnavailable


@contextmanager
def _reachable() -> Iterator[None]:
    """Redis down or unreachable -> StoreUnavailable (resched.services.auth.fallback_store
    counts in memory meanwhile). Other Redis errors are bugs and pass through."""
    try:
        yield
    except (redis.ConnectionError, redis.TimeoutError) as exc:
        raise StoreUnavailable(str(exc)) from exc


class RedisStore:
    """Keys live under ``prefix`` and expire by themselves; nothing needs cleaning up."""

    def __init__(self, client: redis.Redis, prefix: str) -> None:
        self.client = client
        self.prefix = prefix

    @classmethod
    def from_url(cls, url: str, prefix: str) -> RedisStore:
        client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        return cls(client, prefix)

    def hit(self, key: str, window_seconds: int, owner: str | None = None) -> tuple[int, int]:
        with _reachable():
            return self._hit(key, window_seconds)

    def _hit(self, key: str, window_seconds: int) -> tuple[int, int]:
        # ``owner`` is not needed: every key expires, so Redis memory is bounded by the
        # expiry of what the limits let through, and no key is ever evicted early by us.
        full = self.prefix + key
        pipe: Any = self.client.pipeline()
        # SET NX starts the window with its expiry; INCR then never creates a key that lives
        # for ever (works on every Redis version, unlike EXPIRE NX).
        pipe.set(full, 0, ex=window_seconds, nx=True)
        pipe.incr(full)
        pipe.ttl(full)
        _, count, ttl = pipe.execute()
        if int(ttl) == -1:
            # The key expired between SET NX and INCR, and INCR made a new one without an
            # expiry: a counter that never resets would lock its account for ever.
            self.client.expire(full, window_seconds)
            ttl = window_seconds
        return int(count), max(1, int(ttl))

    def peek(self, key: str) -> tuple[int, int]:
        full = self.prefix + key
        pipe: Any = self.client.pipeline()
        pipe.get(full)
        pipe.ttl(full)
        with _reachable():
            value, ttl = pipe.execute()
        if value is None or int(ttl) == -2:
            return 0, 0
        return int(value), max(1, int(ttl))

    def lock(self, key: str, seconds: int) -> None:
        with _reachable():
            self.client.set(self.prefix + key, 1, ex=seconds)

    def locked_for(self, key: str) -> int:
        with _reachable():
            ttl = int(self.client.ttl(self.prefix + key))  # -2: no key, -1: no expiry
        return max(0, ttl)

    def clear(self, *keys: str) -> bool:
        if keys:
            with _reachable():
                self.client.delete(*(self.prefix + key for key in keys))
        return True
