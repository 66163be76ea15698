"""``resched serve --workers N``: the production web process (compose's web service) runs
several uvicorn workers with the same safe options as one."""

from __future__ import annotations

from typing import Any

import pytest
import uvicorn
from typer.testing import CliRunner

from resched.cli import app


def _served_with(monkeypatch: pytest.MonkeyPatch, args: list[str]) -> dict[str, Any]:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda target, **kwargs: calls.append(kwargs))
    # A broker: no embedded worker is started, and a real secret: no var/secret_key written.
    monkeypatch.setenv("RESCHED_BROKER_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setenv("RESCHED_SECRET_KEY", "k9-" + "x7Qz" * 4 + "bR2m" * 4 + "pL5w" * 2)
    result = CliRunner().invoke(app, ["serve", *args])
    assert result.exit_code == 0, result.output
    assert len(calls) == 1
    return calls[0]


def test_workers_reach_uvicorn_with_proxy_and_server_headers_still_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    options = _served_with(monkeypatch, ["--workers", "4", "--host", "0.0.0.0"])
    assert options["workers"] == 4
    assert options["factory"] is True
    assert options["proxy_headers"] is False
    assert options["server_header"] is False


def test_one_worker_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _served_with(monkeypatch, [])["workers"] == 1


def test_workers_out_of_range_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    result = CliRunner().invoke(app, ["serve", "--workers", "0"])
    assert result.exit_code == 2
