"""Login counters in this process (the embedded mode: one server process).

Memory is bounded without letting anyone evict anyone else's counters:

- at most ``max_keys`` counters in all, and at most ``max_keys_per_owner`` created on behalf
  of one client address (a /64 for IPv6);
- when there is no room, expired counters are pruned; if there is still none, the NEW key is
  refused (StoreFull, which the limiter answers with 429) - existing counters are never
  evicted to make room, so 100,000 usernames from one address cannot flush a victim's
  lockout;
- locks are always stored and never evicted before they expire: there is at most one per
  failure counter, so they at most double the bound.
"""

from __future__ import annotations

import math
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from resched.services.auth.errors import StoreFull

type Entry = tuple[int, float, str | None]  # count, expires at, owner charged for it


@dataclass
class MemoryStore:
    clock: Callable[[], float] = time.monotonic
    max_keys: int = 100_000
    max_keys_per_owner: int = 1_000
    # A full store is pruned at most this often, so an attacker hammering a full store does
    # not buy a scan of every counter with each request.
    prune_interval_seconds: float = 1.0
    _entries: dict[str, Entry] = field(default_factory=dict)
    _owned: Counter[str] = field(default_factory=Counter)
    _last_prune: float = -math.inf
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __len__(self) -> int:
        return len(self._entries)

    def hit(self, key: str, window_seconds: int, owner: str | None = None) -> tuple[int, int]:
        with self._lock:
            now = self.clock()
            live = self._live(key, now)
            if live is None:
                self._make_room(owner, now)
                live = (0, now + window_seconds, owner)
                if owner is not None:
                    self._owned[owner] += 1
            count, expires, charged = live
            self._entries[key] = (count + 1, expires, charged)
            return count + 1, _ceil(expires - now)

    def peek(self, key: str) -> tuple[int, int]:
        with self._lock:
            now = self.clock()
            live = self._live(key, now)
            return (0, 0) if live is None else (live[0], _ceil(live[1] - now))

    def lock(self, key: str, seconds: int) -> None:
        with self._lock:
            self._remove(key)
            self._entries[key] = (1, self.clock() + seconds, None)

    def locked_for(self, key: str) -> int:
        return self.peek(key)[1]

    def clear(self, *keys: str) -> bool:
        with self._lock:
            for key in keys:
                self._remove(key)
        return True

    def _live(self, key: str, now: float) -> Entry | None:
        entry = self._entries.get(key)
        if entry is not None and entry[1] <= now:
            self._remove(key)
            return None
        return entry

    def _remove(self, key: str) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None and entry[2] is not None:
            owner = entry[2]
            self._owned[owner] -= 1
            if self._owned[owner] <= 0:
                del self._owned[owner]

    def _has_room(self, owner: str | None) -> bool:
        if len(self._entries) >= self.max_keys:
            return False
        return owner is None or self._owned[owner] < self.max_keys_per_owner

    def _make_room(self, owner: str | None, now: float) -> None:
        if self._has_room(owner):
            return
        if now - self._last_prune >= self.prune_interval_seconds:
            self._last_prune = now
            for key in [k for k, (_, expires, _) in self._entries.items() if expires <= now]:
                self._remove(key)
        if not self._has_room(owner):
            raise StoreFull


def _ceil(seconds: float) -> int:
    return max(1, math.ceil(seconds))
