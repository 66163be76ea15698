"""Login counters in Redis, shared by every server process (production)."""

from __future__ import annotations

from typing import Any

import redis


class RedisStore:
    """Keys live under ``prefix`` and expire by themselves; nothing needs cleaning up."""

    def __init__(self, client: redis.Redis, prefix: str) -> None:
        self.client = client
        self.prefix = prefix

    @classmethod
    def from_url(cls, url: str, prefix: str) -> RedisStore:
        client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        return cls(client, prefix)

    def hit(self, key: str, window_seconds: int) -> tuple[int, int]:
        full = self.prefix + key
        pipe: Any = self.client.pipeline()
        # SET NX starts the window with its expiry; INCR then never creates a key that lives
        # for ever (works on every Redis version, unlike EXPIRE NX).
        pipe.set(full, 0, ex=window_seconds, nx=True)
        pipe.incr(full)
        pipe.ttl(full)
        _, count, ttl = pipe.execute()
        return int(count), max(1, int(ttl))

    def lock(self, key: str, seconds: int) -> None:
        self.client.set(self.prefix + key, 1, ex=seconds)

    def locked_for(self, key: str) -> int:
        ttl = int(self.client.ttl(self.prefix + key))  # -2: no key, -1: no expiry
        return max(0, ttl)

    def clear(self, *keys: str) -> None:
        if keys:
            self.client.delete(*(self.prefix + key for key in keys))
