"""The one Settings object. Read at the edges (CLI, app factory, tasks); code below services
receives plain values."""

from __future__ import annotations

import datetime as dt
import math
import os
from collections import Counter
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

DEFAULT_SECRET = "dev-insecure-change-me"  # noqa: S105 - refused outside development
MIN_SECRET_LENGTH = 32
# 32 random hex characters estimate at about 120 bits (never below 90 in 20,000 draws);
# "password" four times at 88 and is refused as a repetition anyway.
MIN_SECRET_ENTROPY_BITS = 64
VAR_DIR = Path("var")
# Host names the development server answers to when RESCHED_ALLOWED_HOSTS is not set
# ("testserver" is the host of Starlette's test client).
DEVELOPMENT_HOSTS = ("localhost", "127.0.0.1", "testserver")
# A comma-separated environment variable ("a, b"), or a list in code.
type HostList = Annotated[list[str], NoDecode]


def secret_weakness(secret: str) -> str | None:
    """Why a signing secret is guessable, or None. An estimate, not a proof: it refuses the
    shapes people type (the default, short values, "aaaa...", a word repeated, few distinct
    characters) and accepts what a random generator gives (32 hex characters and up)."""
    if secret == DEFAULT_SECRET:
        return "is the public development default"
    if len(secret) < MIN_SECRET_LENGTH:
        return f"is shorter than {MIN_SECRET_LENGTH} characters"
    if any(secret[period:] == secret[:-period] for period in range(1, len(secret) // 2 + 1)):
        return "repeats a shorter piece"
    if _entropy_bits(secret) < MIN_SECRET_ENTROPY_BITS:
        return "uses too few distinct characters to be random"
    return None


def _entropy_bits(text: str) -> float:
    """Shannon entropy of the text's own character frequencies, times its length."""
    counts = Counter(text).values()
    return -sum(n * math.log2(n / len(text)) for n in counts)


# Settings that may carry a credential, readable from a file named by RESCHED_<NAME>_FILE
# (Docker and compose secrets are files under /run/secrets): the value then never sits in the
# environment, where `docker inspect` and every child process would see it.
SECRET_FILE_SETTINGS = ("secret_key", "database_url", "broker_url", "redis_url", "smtp_password")


class SecretFileError(ValueError):
    """A RESCHED_<NAME>_FILE setting that cannot be used; the message names the variable and
    the path, never the content."""


class SecretFilesSource(PydanticBaseSettingsSource):
    """RESCHED_SECRET_KEY_FILE=/run/secrets/secret_key: the setting is that file's content
    (surrounding whitespace, such as the final newline, removed)."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # unused: __call__ reads every file at once

    def __call__(self) -> dict[str, Any]:
        return {
            name: _read_secret_file(name) for name in SECRET_FILE_SETTINGS if _file_variable(name)
        }


def _file_variable(name: str) -> str | None:
    return os.environ.get(f"RESCHED_{name.upper()}_FILE") or None


def _read_secret_file(name: str) -> str:
    variable = f"RESCHED_{name.upper()}_FILE"
    path = Path(_file_variable(name) or "")
    if os.environ.get(f"RESCHED_{name.upper()}"):
        # Two sources for one secret: whichever won, the operator meant the other one.
        raise SecretFileError(f"set RESCHED_{name.upper()} or {variable}, not both")
    try:
        value = path.read_text("utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise SecretFileError(f"{variable}: cannot read {path}: {reason}") from None
    if not value:
        raise SecretFileError(f"{variable}: {path} is empty")
    return value


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="RESCHED_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        # A refused setting is reported by name, never echoed: the input holds the secret key.
        hide_input_in_errors=True,
    )

    env: Environment = Environment.DEVELOPMENT
    database_url: str = Field(default=f"sqlite:///{VAR_DIR / 'resched.db'}")
    secret_key: SecretStr = SecretStr(DEFAULT_SECRET)
    broker_url: str | None = None
    log_level: str = "INFO"
    log_json: bool = False
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    # The API's OpenAPI document (/api/openapi.json) and its docs page (/api/docs, Swagger UI
    # served from this app). Production may turn either off; the page needs the document.
    openapi: bool = True
    api_docs: bool = True
    # The largest request body of every route but the document routes (which take 20 MB).
    max_body_bytes: int = Field(default=1024 * 1024, ge=16 * 1024, le=20 * 1024 * 1024)

    # Password hashing work factors (argon2 for new hashes, bcrypt for legacy ones).
    argon2_time_cost: int = Field(default=3, ge=1, le=20)
    argon2_memory_cost: int = Field(default=65536, ge=8, le=4 * 1024 * 1024, description="KiB")
    argon2_parallelism: int = Field(default=2, ge=1, le=16)
    bcrypt_rounds: int = Field(default=12, ge=4, le=31)

    # Tokens (API) and sessions (web pages).
    access_token_minutes: int = Field(default=15, ge=1, le=60)
    refresh_token_days: int = Field(default=7, ge=1, le=90)
    session_hours: int = Field(default=12, ge=1, le=24 * 30)

    # Login rate limits: Redis when configured (RESCHED_REDIS_URL, else a redis:// broker URL),
    # in memory otherwise (one process: the embedded mode).
    redis_url: str | None = None
    rate_limit_prefix: str = Field(default="resched:login:", min_length=1, max_length=100)
    login_attempts_per_minute: int = Field(default=5, ge=1, le=1000)
    # Per client address only FAILED sign-ins count: 200 colleagues behind one hospital NAT
    # address sign in at 07:00 without touching it; a guesser runs out.
    login_failures_per_client: int = Field(default=100, ge=1, le=100_000)
    login_failure_window_minutes: int = Field(default=10, ge=1, le=24 * 60)

    # Background jobs (docs/jobs.md). No broker URL: the embedded mode, where `resched serve`
    # starts its own worker on a local broker in var/ (no Redis needed).
    job_queue: str = Field(default="resched", min_length=1, max_length=100)
    job_heartbeat_seconds: float = Field(default=1.0, gt=0, le=60)
    job_stale_after_seconds: int = Field(default=300, ge=2)
    job_requeue_after_seconds: int = Field(default=600, ge=2)
    job_give_up_after_hours: int = Field(default=24, ge=1)
    job_max_attempts: int = Field(default=2, ge=1, le=10)
    # The CPU priority (Unix nice value, 0-19) a worker lowers itself to: a solve is batch work
    # that may take every core for minutes, and pages answered while it runs must not queue
    # behind it (issue 17's load run: one generation job beside 50 users). 0 leaves it as
    # started. The solve still gets every cycle the web processes leave idle.
    worker_nice: int = Field(default=10, ge=0, le=19)
    # Redis redelivers a message its worker never acknowledged after this long (a worker that
    # died mid-job); longer than job_stale_after_seconds so the retry finds the job stale.
    broker_visibility_timeout_seconds: int = Field(default=900, ge=2)
    nightly_at: dt.time = dt.time(3, 0)
    schedule_timezone: str = "UTC"

    # Mail (docs/deployment.md). No SMTP host: the embedded mode, where mail stays in the
    # outbox that administrators read at /admin/outbox and is never sent.
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = True
    mail_from: str = Field(default="resched@localhost", pattern=r"^[^@\s]+@[^@\s]+$")
    # The site's address as people reach it (https://schedule.example.org): links in mail.
    public_url: str | None = Field(default=None, pattern=r"^https?://[^\s/]+(/\S*)?$")

    # Transport: which hosts, origins and proxies the app trusts.
    allowed_hosts: HostList = Field(default_factory=list)
    cors_origins: HostList = Field(default_factory=list)
    trusted_proxies: HostList = Field(default_factory=list)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # After the environment (a variable and its _FILE twin together are refused) and
        # before .env, so a secret file wins over a value left in a .env file.
        return (
            init_settings,
            env_settings,
            SecretFilesSource(settings_cls),
            dotenv_settings,
            file_secret_settings,
        )

    @field_validator("allowed_hosts", "cors_origins", "trusted_proxies", mode="before")
    @classmethod
    def _split_commas(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @field_validator("broker_url")
    @classmethod
    def _redis_broker(cls, value: str | None) -> str | None:
        # The embedded mode's broker is chosen by leaving this unset; any other broker would
        # get the Redis transport options (tasks/app.py) and fail on the first job instead
        # of at start.
        if value and not value.startswith(("redis://", "rediss://")):
            raise ValueError(
                "RESCHED_BROKER_URL: a Redis URL (redis:// or rediss://), or unset for the "
                "embedded worker"
            )
        return value

    @field_validator("cors_origins")
    @classmethod
    def _explicit_origins(cls, value: list[str]) -> list[str]:
        # Credentials never travel by CORS here, but a wildcard still opens every endpoint to
        # every page on the web: origins are named one by one.
        if "*" in value:
            raise ValueError("RESCHED_CORS_ORIGINS: name each origin; '*' is not accepted")
        return value

    @model_validator(mode="after")
    def _docs_need_the_document(self) -> Settings:
        if self.api_docs and not self.openapi:
            raise ValueError(
                "RESCHED_API_DOCS needs RESCHED_OPENAPI (the page shows that document): "
                "set RESCHED_API_DOCS=false too"
            )
        return self

    @model_validator(mode="after")
    def _argon2_memory_covers_lanes(self) -> Settings:
        if self.argon2_memory_cost < 8 * self.argon2_parallelism:
            raise ValueError("RESCHED_ARGON2_MEMORY_COST must be at least 8 x parallelism (KiB)")
        return self

    @model_validator(mode="after")
    def _refuse_weak_secret_in_production(self) -> Settings:
        if self.env is Environment.PRODUCTION:
            problem = secret_weakness(self.secret_key.get_secret_value())
            if problem:
                raise ValueError(
                    f"RESCHED_SECRET_KEY {problem}; in production it must be a random value of "
                    "at least 32 characters (for example: python -c 'import secrets; "
                    "print(secrets.token_urlsafe(48))')"
                )
        return self

    @model_validator(mode="after")
    def _require_hosts_in_production(self) -> Settings:
        if self.env is Environment.PRODUCTION and (
            not self.allowed_hosts or "*" in self.allowed_hosts
        ):
            raise ValueError(
                "RESCHED_ALLOWED_HOSTS must name the host names of the site in production "
                "(for example: schedule.example.org)"
            )
        return self

    @model_validator(mode="after")
    def _visibility_outlasts_staleness(self) -> Settings:
        if self.broker_visibility_timeout_seconds <= self.job_stale_after_seconds:
            raise ValueError(
                "RESCHED_BROKER_VISIBILITY_TIMEOUT_SECONDS must be longer than "
                "RESCHED_JOB_STALE_AFTER_SECONDS (a redelivered job must find its first "
                "execution stale)"
            )
        return self

    @property
    def is_production(self) -> bool:
        return self.env is Environment.PRODUCTION

    @property
    def effective_allowed_hosts(self) -> list[str]:
        return self.allowed_hosts or list(DEVELOPMENT_HOSTS)

    @property
    def rate_limit_redis_url(self) -> str | None:
        """Where login counters live: RESCHED_REDIS_URL, else the broker when it is Redis."""
        if self.redis_url:
            return self.redis_url
        return self.broker_url


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
