"""Login rate limits and lockout, on the in-memory store (with a fake clock) and on a real
Redis (127.0.0.1:6379, a unique key prefix per test)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from resched.services.auth.errors import RateLimited
from resched.services.auth.memory_store import MemoryStore
from resched.services.auth.ratelimit import CounterStore, LoginLimiter
from resched.services.auth.redis_store import RedisStore

REDIS_URL = "redis://127.0.0.1:6379/0"


@dataclass
class Clock:
    now: float = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def redis_store() -> Iterator[RedisStore]:
    store = RedisStore.from_url(REDIS_URL, f"resched-test:{uuid.uuid4().hex}:")
    yield store
    keys = list(store.client.scan_iter(match=store.prefix + "*"))
    if keys:
        store.client.delete(*keys)
    store.client.close()


@pytest.fixture(params=["memory", "redis"])
def store(request: pytest.FixtureRequest) -> CounterStore:
    if request.param == "memory":
        return MemoryStore()
    store: CounterStore = request.getfixturevalue("redis_store")
    return store


def _fail(limiter: LoginLimiter, username: str, client: str | None = "10.0.0.1") -> None:
    limiter.before_attempt(username=username, client=client)
    limiter.after_failure(username=username, client=client)


def _succeed(limiter: LoginLimiter, username: str, client: str | None = "10.0.0.1") -> None:
    limiter.before_attempt(username=username, client=client)
    limiter.after_success(username=username)


def test_a_sixth_failed_attempt_in_a_minute_is_refused(store: CounterStore) -> None:
    limiter = LoginLimiter(store)
    for _ in range(5):
        _fail(limiter, "chief")
    with pytest.raises(RateLimited) as raised:
        limiter.before_attempt(username="chief", client="10.0.0.1")
    assert 1 <= raised.value.retry_after <= 60


def test_attempts_count_per_username_case_insensitively(store: CounterStore) -> None:
    limiter = LoginLimiter(store, lockout_after=100)
    for name in ("chief", "Chief", "CHIEF", "chief", "cHief"):
        limiter.before_attempt(username=name, client=f"10.0.0.{len(name)}")
    with pytest.raises(RateLimited):
        limiter.before_attempt(username="chief", client="10.9.9.9")
    limiter.before_attempt(username="someone-else", client="10.9.9.9")


def test_failures_count_per_client_across_usernames(store: CounterStore) -> None:
    limiter = LoginLimiter(store, client_failures=5)
    for n in range(5):
        _fail(limiter, f"user{n}")
    with pytest.raises(RateLimited) as raised:
        limiter.before_attempt(username="user9", client="10.0.0.1")
    assert 1 <= raised.value.retry_after <= 600
    limiter.before_attempt(username="user9", client="10.0.0.2")


def test_successes_never_count_against_the_address(store: CounterStore) -> None:
    # 07:00 at a hospital behind one NAT address: 200 colleagues sign in, some mistype once.
    limiter = LoginLimiter(store, client_failures=100)
    for n in range(200):
        if n % 10 == 0:
            _fail(limiter, f"colleague{n}")
        _succeed(limiter, f"colleague{n}")
    _succeed(limiter, "latecomer")


def test_a_success_does_not_wipe_the_addresss_failures(store: CounterStore) -> None:
    limiter = LoginLimiter(store, client_failures=3)
    for n in range(3):
        _fail(limiter, f"guess{n}")
    with pytest.raises(RateLimited):
        _succeed(limiter, "known-account")


def test_ipv6_clients_are_counted_per_64_network(store: CounterStore) -> None:
    limiter = LoginLimiter(store, client_failures=3)
    for n in range(3):
        _fail(limiter, f"guess{n}", client=f"2001:db8:1:2::{n + 1}")
    with pytest.raises(RateLimited):
        limiter.before_attempt(username="other", client="2001:db8:1:2:ffff::9")
    limiter.before_attempt(username="other", client="2001:db8:1:3::1")


def test_wrong_current_passwords_lock_the_password_change(store: CounterStore) -> None:
    limiter = LoginLimiter(store)
    for _ in range(5):
        limiter.before_password_check(user_id=7)
        limiter.after_password_failure(user_id=7)
    with pytest.raises(RateLimited) as raised:
        limiter.before_password_check(user_id=7)
    assert raised.value.retry_after == 60 or isinstance(store, RedisStore)
    assert "wrong current passwords" in raised.value.message
    limiter.before_password_check(user_id=8)  # another account is not affected
    limiter.before_attempt(username="7", client=None)  # nor is signing in


def test_success_clears_the_lockout(store: CounterStore) -> None:
    limiter = LoginLimiter(store, per_username=100)
    for _ in range(5):
        _fail(limiter, "chief")
    with pytest.raises(RateLimited):
        limiter.before_attempt(username="chief", client="10.0.0.1")
    limiter.after_success(username="chief")
    limiter.before_attempt(username="chief", client="10.0.0.1")


def _wait(limiter: LoginLimiter, username: str = "chief") -> int:
    with pytest.raises(RateLimited) as raised:
        limiter.before_attempt(username=username, client=None)
    return raised.value.retry_after


def test_the_lockout_doubles_with_each_further_failure_up_to_an_hour() -> None:
    clock = Clock()
    limiter = LoginLimiter(MemoryStore(clock=clock), per_username=1000)
    for _ in range(4):
        limiter.after_failure(username="chief")
    limiter.before_attempt(username="chief", client=None)  # four failures: no lockout yet
    waits = []
    for _ in range(8):
        limiter.after_failure(username="chief")
        waits.append(_wait(limiter))
    assert waits == [60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_a_lockout_ends_and_the_next_failure_locks_longer() -> None:
    clock = Clock()
    limiter = LoginLimiter(MemoryStore(clock=clock), per_username=1000)
    for _ in range(5):
        limiter.after_failure(username="chief")
    assert _wait(limiter) == 60
    clock.now += 59.5
    assert _wait(limiter) == 1
    clock.now += 1
    limiter.before_attempt(username="chief", client=None)
    limiter.after_failure(username="chief")
    assert _wait(limiter) == 120


def test_the_attempt_window_resets_after_a_minute() -> None:
    clock = Clock()
    limiter = LoginLimiter(MemoryStore(clock=clock), lockout_after=1000)
    for _ in range(5):
        limiter.before_attempt(username="chief", client="10.0.0.1")
    assert _wait(limiter) <= 60
    clock.now += 61
    limiter.before_attempt(username="chief", client="10.0.0.1")


def test_redis_keys_carry_the_prefix_and_expire(redis_store: RedisStore) -> None:
    limiter = LoginLimiter(redis_store)
    for _ in range(5):
        _fail(limiter, "chief")
    keys = list(redis_store.client.scan_iter(match=redis_store.prefix + "*"))
    assert keys
    for key in keys:
        assert 0 < int(redis_store.client.ttl(key)) <= 24 * 3600
    other = RedisStore(redis_store.client, redis_store.prefix + "other:")
    LoginLimiter(other).before_attempt(username="chief", client="10.0.0.1")


def test_every_redis_key_expires_so_memory_is_bounded_by_expiry(redis_store: RedisStore) -> None:
    limiter = LoginLimiter(redis_store, client_failures=3)
    for n in range(3):
        _fail(limiter, f"user{n % 2}", client="10.0.0.1")
    for _ in range(5):
        limiter.before_password_check(user_id=7)
        limiter.after_password_failure(user_id=7)
    keys = list(redis_store.client.scan_iter(match=redis_store.prefix + "*"))
    assert len(keys) >= 5  # rate, failures, the address, the password lock
    for key in keys:
        assert int(redis_store.client.ttl(key)) > 0, key


def test_a_redis_counter_left_without_expiry_gets_one(redis_store: RedisStore) -> None:
    # INCR recreates a key that expired between SET NX and INCR without a TTL; such a counter
    # would never reset and lock its account for ever.
    redis_store.client.incr(redis_store.prefix + "rate:user:00")
    count, left = redis_store.hit("rate:user:00", 60)
    assert count == 2
    assert 0 < int(redis_store.client.ttl(redis_store.prefix + "rate:user:00")) <= 60
    assert left <= 60


def test_peek_reads_without_counting(store: CounterStore) -> None:
    assert store.peek("fail:client:x") == (0, 0)
    store.hit("fail:client:x", 600)
    assert store.peek("fail:client:x")[0] == 1
    assert store.peek("fail:client:x")[0] == 1
    assert 1 <= store.peek("fail:client:x")[1] <= 600
