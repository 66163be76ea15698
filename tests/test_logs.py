"""Logs never contain passwords, tokens or secrets."""

from __future__ import annotations

import logging

import pytest

from resched.logs import configure_logging, get_logger, redact_text

SECRET = "s3cr3t-Value-Never-Logged"


@pytest.fixture
def logs(capsys: pytest.CaptureFixture[str]) -> pytest.CaptureFixture[str]:
    configure_logging(level="DEBUG", json=True)
    return capsys


def test_sensitive_keys_are_redacted(logs: pytest.CaptureFixture[str]) -> None:
    get_logger("test").info(
        "login attempt",
        username="ada",
        password=SECRET,
        refresh_token=SECRET,
        headers={"Authorization": f"Bearer {SECRET}", "Accept": "text/html"},
        secret_key=SECRET,
    )
    err = logs.readouterr().err
    assert "login attempt" in err
    assert "ada" in err
    assert "text/html" in err
    assert SECRET not in err


def test_urls_and_bearer_tokens_in_text_are_masked(logs: pytest.CaptureFixture[str]) -> None:
    get_logger("test").warning(f"cannot reach postgresql://resched:{SECRET}@db/resched")
    get_logger("test").info("header seen", detail=f"Bearer {SECRET}")
    logging.getLogger("uvicorn.error").error("db url %s", f"redis://:{SECRET}@cache:6379/0")
    err = logs.readouterr().err
    assert SECRET not in err
    assert "postgresql://resched:[redacted]@db/resched" in err


def test_redact_text_leaves_plain_text_alone() -> None:
    assert redact_text("Ada Lee: 84.5 h/week") == "Ada Lee: 84.5 h/week"
