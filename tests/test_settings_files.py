"""RESCHED_<NAME>_FILE: secrets read from files (compose and Docker secrets under /run/secrets),
so they never sit in the environment."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from typer.testing import CliRunner

from resched.cli import app
from resched.settings import SecretFileError, Settings

KEY = secrets.token_urlsafe(48)


@pytest.fixture(autouse=True)
def _no_resched_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SECRET_KEY", "DATABASE_URL", "BROKER_URL", "REDIS_URL", "SMTP_PASSWORD"):
        monkeypatch.delenv(f"RESCHED_{name}", raising=False)
        monkeypatch.delenv(f"RESCHED_{name}_FILE", raising=False)


def _secret(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, "utf-8")
    return path


def test_each_credential_setting_is_read_from_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    values = {
        "SECRET_KEY": KEY,
        "DATABASE_URL": "postgresql+psycopg://resched:pw-1@postgres/resched",
        "BROKER_URL": "redis://:pw-2@redis:6379/0",
        "REDIS_URL": "redis://:pw-2@redis:6379/1",
        "SMTP_PASSWORD": "mail-pw-3",
    }
    for name, value in values.items():
        # The final newline `echo` and editors add is not part of the value.
        monkeypatch.setenv(f"RESCHED_{name}_FILE", str(_secret(tmp_path, name, value + "\n")))
    monkeypatch.setenv("RESCHED_ENV", "production")
    monkeypatch.setenv("RESCHED_ALLOWED_HOSTS", "schedule.example.org")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.secret_key.get_secret_value() == KEY
    assert settings.database_url == values["DATABASE_URL"]
    assert settings.broker_url == values["BROKER_URL"]
    assert settings.redis_url == values["REDIS_URL"]
    assert settings.smtp_password is not None
    assert settings.smtp_password.get_secret_value() == values["SMTP_PASSWORD"]
    assert "mail-pw-3" not in repr(settings)


def test_a_file_value_is_validated_like_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RESCHED_SECRET_KEY_FILE", str(_secret(tmp_path, "key", "short\n")))
    monkeypatch.setenv("RESCHED_ENV", "production")
    monkeypatch.setenv("RESCHED_ALLOWED_HOSTS", "schedule.example.org")
    with pytest.raises(ValueError, match="shorter than 32") as refused:
        Settings(_env_file=None)  # type: ignore[call-arg]
    assert "short" not in str(refused.value).replace("shorter", "")


def test_the_variable_and_its_file_together_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RESCHED_SECRET_KEY", KEY)
    monkeypatch.setenv("RESCHED_SECRET_KEY_FILE", str(_secret(tmp_path, "key", KEY)))
    with pytest.raises(SecretFileError, match="RESCHED_SECRET_KEY or RESCHED_SECRET_KEY_FILE"):
        Settings(_env_file=None)  # type: ignore[call-arg]


def test_a_secret_file_wins_over_a_dotenv_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dotenv = _secret(tmp_path, ".env", "RESCHED_BROKER_URL=redis://left-over:6379/0\n")
    broker = "redis://:pw@redis:6379/0"
    monkeypatch.setenv("RESCHED_BROKER_URL_FILE", str(_secret(tmp_path, "broker", broker)))
    assert Settings(_env_file=dotenv).broker_url == broker  # type: ignore[call-arg]


@pytest.mark.parametrize("content", [None, "", "  \n"])
def test_a_missing_or_empty_file_names_the_variable_not_the_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str | None
) -> None:
    path = tmp_path / "secret_key"
    if content is not None:
        path.write_text(content, "utf-8")
    monkeypatch.setenv("RESCHED_SECRET_KEY_FILE", str(path))
    with pytest.raises(SecretFileError, match=f"RESCHED_SECRET_KEY_FILE: .*{path.name}"):
        Settings(_env_file=None)  # type: ignore[call-arg]


def test_the_cli_reports_an_unreadable_secret_file_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RESCHED_SECRET_KEY_FILE", str(tmp_path / "absent"))
    result = CliRunner().invoke(app, ["jobs", "list"])
    assert result.exit_code == 2
    assert "RESCHED_SECRET_KEY_FILE: cannot read" in result.output
    assert "Traceback" not in result.output
