"""The in-memory login counters stay bounded without letting an attacker evict anyone else's
state: 100,000 usernames from one address (or thousands from many) leave a victim's lockout
in place, and the number of entries stays under its caps."""

from __future__ import annotations

import pytest

from resched.services.auth.errors import RateLimited, StoreFull
from resched.services.auth.memory_store import MemoryStore
from resched.services.auth.ratelimit import LoginLimiter
from tests.services.test_ratelimit import Clock

ATTACKER = "203.0.113.7"


def _attempt_and_fail(limiter: LoginLimiter, username: str, client: str) -> bool:
    """One wrong password; False when the limiter refused the attempt."""
    try:
        limiter.before_attempt(username=username, client=client)
    except RateLimited:
        return False
    limiter.after_failure(username=username, client=client)
    return True


def _lock_out_victim(limiter: LoginLimiter) -> int:
    for _ in range(5):
        assert _attempt_and_fail(limiter, "victim", "198.51.100.1")
    with pytest.raises(RateLimited) as raised:
        limiter.before_attempt(username="victim", client="198.51.100.2")
    return raised.value.retry_after


def _still_locked(limiter: LoginLimiter) -> bool:
    try:
        limiter.before_attempt(username="victim", client="192.0.2.99")
    except RateLimited:
        return True
    return False


def test_100000_usernames_from_one_client_leave_the_victims_lockout() -> None:
    store = MemoryStore(clock=Clock())
    limiter = LoginLimiter(store)  # the defaults the server runs with
    _lock_out_victim(limiter)
    accepted = sum(_attempt_and_fail(limiter, f"user{n}", ATTACKER) for n in range(100_000))
    assert accepted == 100  # the address's failure budget, then 429 without a new entry
    assert _still_locked(limiter)
    assert len(store) <= 2 * 100 + 10


def test_the_per_address_entry_cap_holds_when_the_failure_budget_is_huge() -> None:
    store = MemoryStore(clock=Clock(), max_keys_per_owner=500)
    limiter = LoginLimiter(store, client_failures=10**9)
    _lock_out_victim(limiter)
    accepted = sum(_attempt_and_fail(limiter, f"user{n}", ATTACKER) for n in range(100_000))
    assert accepted < 500
    assert _still_locked(limiter)
    assert len(store) <= 500 + 10


def test_a_full_store_refuses_new_keys_and_evicts_nobody() -> None:
    clock = Clock()
    store = MemoryStore(clock=clock, max_keys=1_000, max_keys_per_owner=50)
    limiter = LoginLimiter(store, client_failures=10**9)
    wait = _lock_out_victim(limiter)
    for client in range(200):  # many addresses, each under its own cap
        for n in range(30):
            _attempt_and_fail(limiter, f"user{client}-{n}", f"10.1.{client}.1")
    assert len(store) <= 2 * 1_000
    assert _still_locked(limiter)
    # Full: an attempt that needs a new counter is refused, not let through uncounted.
    assert not _attempt_and_fail(limiter, "someone-new", "10.9.9.9")
    clock.now += wait - 1
    assert _still_locked(limiter)  # locks are never evicted before they expire


def test_expired_entries_are_pruned_to_make_room() -> None:
    clock = Clock()
    store = MemoryStore(clock=clock, max_keys=100, max_keys_per_owner=1_000)
    for n in range(100):
        store.hit(f"rate:{n}", 60, "client:a")
    with pytest.raises(StoreFull):
        store.hit("rate:new", 60, "client:b")
    clock.now += 61
    assert store.hit("rate:new", 60, "client:b") == (1, 60)
    assert len(store) == 1


def test_an_owner_cap_frees_up_as_its_entries_are_cleared() -> None:
    store = MemoryStore(clock=Clock(), max_keys_per_owner=2)
    store.hit("fail:a", 60, "client:x")
    store.hit("fail:b", 60, "client:x")
    with pytest.raises(StoreFull):
        store.hit("fail:c", 60, "client:x")
    store.hit("fail:a", 60, "client:x")  # existing keys still count
    store.hit("fail:c", 60, "client:y")  # other owners are not affected
    store.clear("fail:a")
    assert store.hit("fail:d", 60, "client:x") == (1, 60)


def test_locks_are_kept_past_every_cap() -> None:
    store = MemoryStore(clock=Clock(), max_keys=2)
    store.hit("a", 60)
    store.hit("b", 60)
    store.lock("lock:victim", 600)
    assert store.locked_for("lock:victim") == 600
