"""resched serve never signs with the well-known development secret."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from resched.cli.embedded_secret import ENV_NAME, SECRET_FILE, ensure_embedded_secret
from resched.settings import DEFAULT_SECRET, Settings


@pytest.fixture(autouse=True)
def _restore_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # ensure_embedded_secret exports the key. delenv of an unset variable records nothing to
    # undo, so the key outlived these tests and silenced another test's development-key
    # warning: setting it first makes monkeypatch remove it afterwards.
    monkeypatch.setenv(ENV_NAME, "")
    monkeypatch.delenv(ENV_NAME)


def test_default_secret_is_replaced_by_a_private_random_key(tmp_path: Path) -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.secret_key.get_secret_value() == DEFAULT_SECRET

    first = ensure_embedded_secret(settings, tmp_path).secret_key.get_secret_value()
    assert first != DEFAULT_SECRET
    assert len(first) >= 32
    key_file = tmp_path / SECRET_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert Settings(_env_file=None).secret_key.get_secret_value() == first  # type: ignore[call-arg]

    # A restart reads the same key, so sessions survive it.
    again = ensure_embedded_secret(Settings(secret_key=DEFAULT_SECRET, _env_file=None), tmp_path)  # type: ignore[call-arg,arg-type]
    assert again.secret_key.get_secret_value() == first


def test_a_configured_secret_is_left_alone(tmp_path: Path) -> None:
    configured = "c" * 40
    settings = Settings(secret_key=configured, _env_file=None)  # type: ignore[call-arg,arg-type]
    assert ensure_embedded_secret(settings, tmp_path).secret_key.get_secret_value() == configured
    assert not (tmp_path / SECRET_FILE).exists()
