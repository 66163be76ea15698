"""The security runtime of one app: keys, token lifetimes, the login limiter, hashing costs.

Built once from Settings by the app factory and kept on ``app.state.security``; everything
below receives these plain values, never the settings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from starlette.requests import HTTPConnection

from resched.services.accounts.passwords import HashingCosts
from resched.services.auth.memory_store import MemoryStore
from resched.services.auth.ratelimit import CounterStore, LoginLimiter
from resched.services.auth.tokens import TokenPolicy, derive_key
from resched.settings import Settings


@dataclass(frozen=True, slots=True)
class SecurityRuntime:
    tokens: TokenPolicy
    csrf_key: bytes
    limiter: LoginLimiter
    costs: HashingCosts
    session_lifetime: dt.timedelta
    # Production serves over HTTPS (behind the TLS proxy): cookies are always Secure there.
    always_secure_cookies: bool


def hashing_costs(settings: Settings) -> HashingCosts:
    return HashingCosts(
        argon2_time_cost=settings.argon2_time_cost,
        argon2_memory_cost=settings.argon2_memory_cost,
        argon2_parallelism=settings.argon2_parallelism,
        bcrypt_rounds=settings.bcrypt_rounds,
    )


def counter_store(settings: Settings) -> CounterStore:
    url = settings.rate_limit_redis_url
    if url is None:
        return MemoryStore()
    from resched.services.auth.fallback_store import FallbackStore
    from resched.services.auth.redis_store import RedisStore

    # Redis down: sign-in goes on, counted in this process meanwhile (fallback_store).
    return FallbackStore(RedisStore.from_url(url, settings.rate_limit_prefix))


def build_runtime(settings: Settings) -> SecurityRuntime:
    secret = settings.secret_key.get_secret_value()
    return SecurityRuntime(
        tokens=TokenPolicy(
            key=derive_key(secret, "jwt"),
            access_lifetime=dt.timedelta(minutes=settings.access_token_minutes),
            refresh_lifetime=dt.timedelta(days=settings.refresh_token_days),
        ),
        csrf_key=derive_key(secret, "csrf"),
        limiter=LoginLimiter(
            store=counter_store(settings),
            per_username=settings.login_attempts_per_minute,
            client_failures=settings.login_failures_per_client,
            client_failure_window_seconds=settings.login_failure_window_minutes * 60,
        ),
        costs=hashing_costs(settings),
        session_lifetime=dt.timedelta(hours=settings.session_hours),
        always_secure_cookies=settings.is_production,
    )


def get_runtime(connection: HTTPConnection) -> SecurityRuntime:
    runtime: SecurityRuntime = connection.app.state.security
    return runtime
