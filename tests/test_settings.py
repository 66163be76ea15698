"""Settings come from RESCHED_ variables; production refuses the default secret."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from resched.settings import DEFAULT_SECRET, Environment, Settings


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


def test_production_refuses_the_default_secret() -> None:
    with pytest.raises(ValidationError, match="RESCHED_SECRET_KEY"):
        Settings(env=Environment.PRODUCTION, secret_key=DEFAULT_SECRET, _env_file=None)  # type: ignore[call-arg,arg-type]


def test_production_refuses_a_short_secret() -> None:
    with pytest.raises(ValidationError, match="at least 32"):
        Settings(env=Environment.PRODUCTION, secret_key="short", _env_file=None)  # type: ignore[call-arg,arg-type]


def test_production_accepts_a_strong_secret() -> None:
    settings = Settings(
        env=Environment.PRODUCTION,
        secret_key="x" * 40,  # type: ignore[arg-type]
        allowed_hosts=["schedule.example.org"],
        _env_file=None,  # type: ignore[call-arg]
    )
    assert settings.is_production


def test_secret_is_not_shown_in_repr() -> None:
    settings = Settings(secret_key="a-very-secret-value-1234567890", _env_file=None)  # type: ignore[call-arg,arg-type]
    assert "a-very-secret-value" not in repr(settings)
