"""Login counters that survive a Redis outage: counted in this process while Redis is down.

Sign-in must neither fail (a 500 for every colleague at 07:00) nor stop counting (a password
guesser's free window) because Redis went away. While the shared store is unreachable every
counter, lock and lookup goes to a bounded in-process MemoryStore, so each server process
still limits attempts and locks accounts on its own; the outage is logged as a warning when
it starts and when it ends. What is weaker meanwhile: the limits count per process rather than
across all of them, and locks set in Redis before the outage are not seen until it answers
again (they are not lost: Redis keeps them). Redis is tried again every ``retry_seconds``.

Keys cleared during the outage (an administrator's password reset lifts the account's lockout)
are cleared in Redis too as soon as it answers again, before anything else is asked of it, so
a lockout kept there does not come back - unless this process ends first (the reset says so).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from resched.logs import get_logger
from resched.services.auth.errors import StoreUnavailable
from resched.services.auth.memory_store import MemoryStore
from resched.services.auth.ratelimit import CounterStore

RETRY_SECONDS = 15.0
log = get_logger("resched.auth")


@dataclass
class FallbackStore:
    primary: CounterStore
    fallback: MemoryStore = field(default_factory=MemoryStore)
    retry_seconds: float = RETRY_SECONDS
    clock: Callable[[], float] = time.monotonic
    _down_until: float | None = None  # while set, the primary is not tried before then
    _pending_clears: set[str] = field(default_factory=set)  # cleared here, not yet in Redis
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def primary_down(self) -> bool:
        return self._down_until is not None

    def hit(self, key: str, window_seconds: int, owner: str | None = None) -> tuple[int, int]:
        return self._call(lambda store: store.hit(key, window_seconds, owner))

    def peek(self, key: str) -> tuple[int, int]:
        return self._call(lambda store: store.peek(key))

    def lock(self, key: str, seconds: int) -> None:
        self._call(lambda store: store.lock(key, seconds))

    def locked_for(self, key: str) -> int:
        return self._call(lambda store: store.locked_for(key))

    def clear(self, *keys: str) -> bool:
        """False while Redis is unreachable: this process forgot the keys, Redis still has
        them (a lock there is seen again when it answers, until it expires)."""

        def forget(store: CounterStore) -> bool:
            cleared = store.clear(*keys) and store is self.primary
            if not cleared:
                with self._lock:
                    self._pending_clears.update(keys)
            return cleared

        return self._call(forget)

    def _call[T](self, action: Callable[[CounterStore], T]) -> T:
        with self._lock:
            waiting = self._down_until is not None and self.clock() < self._down_until
        if waiting:
            return action(self.fallback)
        try:
            self._clear_pending()
            result = action(self.primary)
        except StoreUnavailable as exc:
            self._note_down(str(exc))
            return action(self.fallback)
        self._note_up()
        return result

    def _clear_pending(self) -> None:
        """The keys cleared while Redis was unreachable, cleared there now (StoreUnavailable
        if it still does not answer: they stay pending)."""
        with self._lock:
            keys = sorted(self._pending_clears)
        if not keys:
            return
        self.primary.clear(*keys)
        with self._lock:
            self._pending_clears.difference_update(keys)
        log.warning("login counters: lockouts lifted during the outage lifted in Redis too")

    def _note_down(self, error: str) -> None:
        with self._lock:
            first = self._down_until is None
            self._down_until = self.clock() + self.retry_seconds
        if first:
            log.warning(
                "login counters: Redis unreachable; counting in this process until it answers",
                error=error,
            )

    def _note_up(self) -> None:
        with self._lock:
            was_down = self._down_until is not None
            self._down_until = None
        if was_down:
            log.warning("login counters: Redis answers again; counting there")
