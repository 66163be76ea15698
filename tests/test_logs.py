"""Logs never contain passwords, tokens or secrets."""

from __future__ import annotations

import logging

import pytest

from resched.logs import LOGGED_MARK, configure_logging, get_logger, redact_text

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


def _failing_with_a_local_secret() -> None:
    signing_key = SECRET  # a local of the raising frame
    raise RuntimeError(f"failed after {len(signing_key)} characters")


@pytest.mark.parametrize("json", [False, True], ids=["console", "json"])
def test_tracebacks_from_any_logger_show_frames_not_locals(
    capsys: pytest.CaptureFixture[str], json: bool
) -> None:
    configure_logging(level="DEBUG", json=json)
    try:
        _failing_with_a_local_secret()
    except RuntimeError as exc:
        logging.getLogger("uvicorn.error").error("Exception in ASGI application", exc_info=exc)
        get_logger("test").exception("failed")
    err = capsys.readouterr().err
    assert err.count("_failing_with_a_local_secret") >= 2, "both tracebacks name the frame"
    assert "RuntimeError: failed after" in err
    assert SECRET not in err


def test_an_exception_the_request_guard_logged_is_not_logged_again(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging(level="DEBUG", json=False)
    exc = RuntimeError("once")
    setattr(exc, LOGGED_MARK, True)
    logging.getLogger("uvicorn.error").error("Exception in ASGI application", exc_info=exc)
    logging.getLogger("uvicorn.error").error("another error", exc_info=RuntimeError("twice"))
    err = capsys.readouterr().err
    assert "Exception in ASGI application" not in err
    assert "another error" in err
