"""The login counters' stand-in during a Redis outage (services/auth/fallback_store.py): a key
cleared while the shared store is unreachable (an administrator lifting a lockout) is cleared
there as soon as it answers again, before anything else is asked of it, and stays pending while
it still does not answer."""

from __future__ import annotations

from dataclasses import dataclass, field

from resched.services.auth.errors import StoreUnavailable
from resched.services.auth.fallback_store import FallbackStore
from resched.services.auth.memory_store import MemoryStore


@dataclass
class Unplugged(MemoryStore):
    """A shared store that keeps its data through an outage (a network partition)."""

    down: bool = False
    calls: list[str] = field(default_factory=list)

    def _answer(self, what: str) -> None:
        if self.down:
            raise StoreUnavailable("connection refused")
        self.calls.append(what)

    def hit(self, key: str, window_seconds: int, owner: str | None = None) -> tuple[int, int]:
        self._answer("hit")
        return super().hit(key, window_seconds, owner)

    def lock(self, key: str, seconds: int) -> None:
        self._answer("lock")
        super().lock(key, seconds)

    def locked_for(self, key: str) -> int:
        self._answer("locked_for")
        return super().locked_for(key)

    def clear(self, *keys: str) -> bool:
        self._answer("clear")
        return super().clear(*keys)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_lockout_lifted_during_an_outage_is_lifted_in_redis_when_it_answers() -> None:
    shared, clock = Unplugged(), Clock()
    store = FallbackStore(shared, retry_seconds=15, clock=clock)
    store.lock("lock:rosa", 3600)
    assert store.locked_for("lock:rosa") > 0
    shared.down = True
    assert store.clear("lock:rosa", "fail:rosa") is False  # only this process forgot it
    assert store.locked_for("lock:rosa") == 0  # counted here meanwhile
    clock.now += 16
    assert store.locked_for("lock:rosa") == 0  # tried again: still down, still pending
    shared.down = False
    assert super(Unplugged, shared).locked_for("lock:rosa") > 0  # Redis kept the lock
    clock.now += 16
    shared.calls.clear()
    assert store.locked_for("lock:rosa") == 0  # the first question after the outage ...
    assert shared.calls == ["clear", "locked_for"]  # ... is preceded by the pending clear
    shared.calls.clear()
    store.locked_for("lock:rosa")
    assert shared.calls == ["locked_for"]  # done once


def test_a_clear_while_redis_answers_is_not_repeated() -> None:
    shared = Unplugged()
    store = FallbackStore(shared)
    assert store.clear("lock:ada") is True
    shared.calls.clear()
    store.hit("fail:ada", 60)
    assert shared.calls == ["hit"]
