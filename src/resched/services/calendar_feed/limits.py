"""Guessing feed addresses is slowed down per client address, over the sign-in limiter's
counter store (memory or Redis, services/auth/ratelimit.py): only failed lookups count, as for
sign-ins, so a hospital's calendars behind one NAT address fetching valid feeds never use up
the budget; a client that misses ``MISSES`` times in ``WINDOW_SECONDS`` is refused (429)
until the window ends, before its token is even looked up."""

from __future__ import annotations

from dataclasses import dataclass

from resched.services.auth.errors import RateLimited, StoreFull
from resched.services.auth.ratelimit import CounterStore
from resched.services.auth.ratelimit import _client_key as client_key  # one keying for both

MISSES = 20
WINDOW_SECONDS = 600


@dataclass(frozen=True, slots=True)
class FeedLimiter:
    store: CounterStore
    misses: int = MISSES
    window_seconds: int = WINDOW_SECONDS

    def before_lookup(self, *, client: str | None) -> None:
        """RateLimited while the client's misses are over the budget."""
        key = _key(client)
        if key is None:
            return
        count, left = self.store.peek(key)
        if count >= self.misses:
            raise RateLimited(left, what="unknown calendar addresses")

    def after_miss(self, *, client: str | None) -> None:
        key = _key(client)
        if key is None:
            return
        try:
            self.store.hit(key, self.window_seconds, client_key(client))
        except StoreFull:
            # Not counted; the store has no room, and the next lookup is judged on peek.
            return


def _key(client: str | None) -> str | None:
    owner = client_key(client)
    return None if owner is None else f"feed-miss:{owner}"
