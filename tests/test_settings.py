"""Settings come from RESCHED_ variables; production refuses the default secret."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from pydantic import ValidationError

from resched.main import create_app, warn_development_key
from resched.settings import DEFAULT_SECRET, Environment, Settings, secret_weakness


def test_defaults_are_embedded_development(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RESCHED_DATABASE_URL", raising=False)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.env is Environment.DEVELOPMENT
    assert settings.database_url.startswith("sqlite:///")
    assert settings.database_url.endswith("var/resched.db")


def test_environment_variables_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESCHED_DATABASE_URL", "postgresql://db/resched")
    monkeypatch.setenv("RESCHED_PORT", "9000")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.database_url == "postgresql://db/resched"
    assert settings.port == 9000


@pytest.mark.parametrize("url", ["sqla+sqlite:///var/broker.db", "amqp://guest@localhost//"])
def test_a_broker_that_is_not_redis_is_refused_at_start(url: str) -> None:
    # It used to be taken, and the first job submitted ended in a 500 (Redis-only options).
    with pytest.raises(ValidationError, match="RESCHED_BROKER_URL: a Redis URL"):
        Settings(broker_url=url, _env_file=None)  # type: ignore[call-arg]
    assert Settings(broker_url="rediss://cache:6380/0", _env_file=None).broker_url  # type: ignore[call-arg]


def test_production_refuses_the_default_secret() -> None:
    with pytest.raises(ValidationError, match="RESCHED_SECRET_KEY"):
        Settings(env=Environment.PRODUCTION, secret_key=DEFAULT_SECRET, _env_file=None)  # type: ignore[call-arg,arg-type]


def test_production_refuses_a_short_secret() -> None:
    with pytest.raises(ValidationError, match="at least 32"):
        Settings(env=Environment.PRODUCTION, secret_key="short", _env_file=None)  # type: ignore[call-arg,arg-type]


def _production(secret: str) -> Settings:
    return Settings(
        secret_key=secret,  # type: ignore[arg-type]
        env=Environment.PRODUCTION,
        allowed_hosts=["schedule.example.org"],
        _env_file=None,  # type: ignore[call-arg]
    )


@pytest.mark.parametrize(
    "generated",
    [secrets.token_urlsafe(48), secrets.token_hex(16), secrets.token_hex(64)],
    ids=["token_urlsafe-48", "token_hex-16", "token_hex-64"],
)
def test_production_accepts_a_random_secret(generated: str) -> None:
    assert _production(generated).is_production


def test_production_accepts_every_32_character_hex_secret_of_many() -> None:
    """The estimate must not refuse what a generator gives: 2,000 draws of the weakest kind."""
    refused = [s for s in (secrets.token_hex(16) for _ in range(2000)) if secret_weakness(s)]
    assert refused == []


@pytest.mark.parametrize(
    ("secret", "reason"),
    [
        ("x" * 32, "repeats a shorter piece"),
        ("x" * 40, "repeats a shorter piece"),
        ("password" * 4, "repeats a shorter piece"),
        ("changeme-changeme-changeme-changeme", "repeats a shorter piece"),
        (DEFAULT_SECRET * 2, "repeats a shorter piece"),
        ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", "too few distinct characters"),
        ("abababababababababababababababbb", "too few distinct characters"),
    ],
)
def test_production_refuses_a_guessable_secret(secret: str, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason) as refused:
        _production(secret)
    assert secret not in str(refused.value), "the message never echoes the secret"
    assert "input_value" not in str(refused.value), "nor any part of the input"


def test_secret_is_not_shown_in_repr() -> None:
    settings = Settings(secret_key="a-very-secret-value-1234567890", _env_file=None)  # type: ignore[call-arg,arg-type]
    assert "a-very-secret-value" not in repr(settings)


def test_the_development_key_is_announced_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``uvicorn --factory resched.main:create_app`` in development: one clear warning."""
    warn_development_key.cache_clear()
    url = f"sqlite:///{tmp_path / 'dev.db'}"
    for _ in range(2):
        create_app(Settings(database_url=url, secret_key=DEFAULT_SECRET, _env_file=None))  # type: ignore[call-arg,arg-type]
    log = capsys.readouterr().err
    assert log.count("public development signing key") == 1
    assert "RESCHED_SECRET_KEY" in log
    assert DEFAULT_SECRET not in log


def test_no_warning_with_a_private_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    warn_development_key.cache_clear()
    url = f"sqlite:///{tmp_path / 'dev.db'}"
    create_app(Settings(database_url=url, secret_key=secrets.token_urlsafe(48), _env_file=None))  # type: ignore[call-arg,arg-type]
    assert "development signing key" not in capsys.readouterr().err
