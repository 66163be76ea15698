"""A real server in a subprocess on a migrated, seeded SQLite file, and headless Chromium.

Chromium is the system package (/usr/bin/chromium); Playwright's own browser download is never
used. A missing Chromium FAILS the tests: CI installs it, and a skipped browser test would
hide a broken UI.

Every page needs a signed-in user: the fixture creates one with ``resched user create
--password-stdin`` and signs in once through the real sign-in form; each test's browser
context starts from that signed-in state (the session cookie).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.e2e.sample_plan import add_sample_plan
from tests.waits import PATIENCE_S, wait_until

CHROMIUM = Path(os.environ.get("RESCHED_CHROMIUM", "/usr/bin/chromium"))
# No network on CI runners: without these Chromium keeps retrying refused connections.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VENV_BIN = Path(sys.executable).parent
# Playwright waits for an element or a page (its defaults are 5 and 30 s) as patiently as any
# other wait in the tests: a starved machine renders late, a broken page never does.
PATIENCE_MS = PATIENCE_S * 1000
expect.set_options(timeout=PATIENCE_MS)
USERNAME = "e2e.coordinator"
PASSWORD = "plum-orchard-lantern-42"
# Cheap hashing for the CLI and the server alike: these tests check the UI, not hash strength.
CHEAP_HASHING = {
    "RESCHED_ARGON2_TIME_COST": "1",
    "RESCHED_ARGON2_MEMORY_COST": "8",
    "RESCHED_ARGON2_PARALLELISM": "1",
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def run_resched(*args: str, stdin: str | None = None) -> None:
    result = subprocess.run(
        [str(VENV_BIN / "resched"), *args],
        capture_output=True,
        text=True,
        timeout=PATIENCE_S,
        input=stdin,
        env={**os.environ, **CHEAP_HASHING},
    )
    if result.returncode != 0:
        pytest.fail(f"`resched {' '.join(args)}` failed:\n{result.stdout}\n{result.stderr}")


def _wait_for_health(base_url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    def healthy() -> bool:
        if server.poll() is not None:
            pytest.fail(f"the server exited with {server.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=PATIENCE_S) as response:
                return bool(response.status == 200)
        except OSError:
            return False

    wait_until(healthy, what="/healthz answering", explain=log.read_text)


@pytest.fixture(scope="session")
def database_file(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Migrated, with the demo program and a labelled sample rotation plan."""
    url = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'resched.db'}"
    run_resched("db", "upgrade", "--database-url", url)
    run_resched("demo", "--database-url", url)
    add_sample_plan(url)
    create_user(url, USERNAME, "coordinator")
    return url


@contextmanager
def serve(database_url: str, log: Path, workdir: Path | None = None) -> Iterator[str]:
    """A server on ``database_url`` until the block ends; its base URL. ``workdir``: where it
    runs, and so where the embedded broker is (var/broker.db), for a ``job_worker`` there."""
    port = _free_port()
    env = {
        **os.environ,
        **CHEAP_HASHING,
        "RESCHED_DATABASE_URL": database_url,
        "RESCHED_LOG_LEVEL": "WARNING",
    }
    if workdir is not None:  # the worker's broker: the embedded one there, not another
        env.pop("RESCHED_BROKER_URL", None)
    command = [
        str(VENV_BIN / "python"),
        "-m",
        "uvicorn",
        "--factory",
        "resched.main:create_app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        # As `resched serve` does: forwarded headers only from RESCHED_TRUSTED_PROXIES.
        "--no-proxy-headers",
    ]
    with log.open("wb") as output:
        server = subprocess.Popen(
            command, env=env, stdout=output, stderr=subprocess.STDOUT, cwd=workdir
        )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_for_health(url, server, log)
        yield url
    finally:
        _stop(server)


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=PATIENCE_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def job_worker(database_url: str, workdir: Path) -> Iterator[Path]:
    """``resched worker`` (one job at a time, in its own process) on ``database_url`` and the
    embedded mode's broker in ``workdir`` (no RESCHED_BROKER_URL), as ``resched serve``
    starts one, until the block ends; its log, for a test's failure message. A server
    started with ``serve(..., workdir=workdir)`` hands it its jobs."""
    env = {
        **{k: v for k, v in os.environ.items() if k != "RESCHED_BROKER_URL"},
        "RESCHED_DATABASE_URL": database_url,
        "RESCHED_LOG_LEVEL": "INFO",
    }
    log = workdir / "worker.log"
    command = [str(VENV_BIN / "resched"), "worker", "--pool=solo", "--concurrency=1"]
    with log.open("wb") as output:
        worker = subprocess.Popen(
            command, env=env, stdout=output, stderr=subprocess.STDOUT, cwd=workdir
        )
    try:
        yield log
    finally:
        _stop(worker)


def create_user(database_url: str, username: str, role: str) -> None:
    """``resched user create`` with ``PASSWORD``, as an operator runs it."""
    run_resched(
        *("user", "create", "--username", username, "--role", role, "--password-stdin"),
        *("--database-url", database_url),
        stdin=PASSWORD + "\n",
    )


@pytest.fixture(scope="session")
def base_url(database_file: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve(database_file, tmp_path_factory.mktemp("server") / "server.log") as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install the system package "
            "(apt-get install chromium) or set RESCHED_CHROMIUM. The browser tests never skip."
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def signed_in_state(browser: Browser, base_url: str) -> dict[str, Any]:
    """The browser state after signing in through the sign-in form (the session cookie)."""
    context = browser.new_context(base_url=base_url)
    context.set_default_timeout(PATIENCE_MS)
    try:
        page = context.new_page()
        page.goto("/program")
        expect(page).to_have_url("/login?next=%2Fprogram")
        page.get_by_label("Username").fill(USERNAME)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page).to_have_url("/program")
        state: dict[str, Any] = context.storage_state()  # type: ignore[assignment]
        return state
    finally:
        context.close()


DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}


def _signed_in_context(
    browser: Browser, base_url: str, state: dict[str, Any], viewport: dict[str, int]
) -> BrowserContext:
    context = browser.new_context(
        base_url=base_url,
        viewport=viewport,  # type: ignore[arg-type]
        storage_state=state,  # type: ignore[arg-type]
    )
    context.set_default_timeout(PATIENCE_MS)
    return context


@pytest.fixture
def phone(browser: Browser, base_url: str, signed_in_state: dict[str, Any]) -> Iterator[Page]:
    """A signed-in coordinator's page on a 390 px phone."""
    context = _signed_in_context(browser, base_url, signed_in_state, PHONE)
    yield context.new_page()
    context.close()


@pytest.fixture
def page(browser: Browser, base_url: str, signed_in_state: dict[str, Any]) -> Iterator[Page]:
    context = _signed_in_context(browser, base_url, signed_in_state, DESKTOP)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield opened
    context.close()
    assert not errors, f"browser errors: {errors}"


@pytest.fixture
def screenshot_dir(tmp_path: Path) -> Path:
    """docs/images when RESCHED_SCREENSHOTS=1 (to refresh the documentation), else tmp."""
    if os.environ.get("RESCHED_SCREENSHOTS") == "1":
        target = Path(__file__).resolve().parents[2] / "docs" / "images"
        target.mkdir(parents=True, exist_ok=True)
        return target
    return tmp_path
