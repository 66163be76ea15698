"""The processes a load run starts, and their end (benchmarks/load.py and benchmarks/soak.py).

Every process runs in a session of its own (its own process group), so stopping it stops what
it started too (uvicorn's worker processes, the embedded job worker). ``Site`` is a context
manager: leaving it - normally, after an exception, or on Ctrl-C or SIGTERM - sends SIGTERM to
every group, waits, then kills what is left. One-off commands (`resched db upgrade`, `resched
demo`, `resched generate ...`, `resched user create`) run through ``Site.run``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import types
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

import httpx2
from benchmarks.load_client import Account

ROOT = Path(__file__).resolve().parent.parent
RESCHED = str(Path(sys.executable).with_name("resched"))
START_S = 180.0  # a process comes up on a busy 2-core machine
STOP_S = 30.0
USERS_AT_ONCE = 3  # `resched user create` processes at a time (each hashes with argon2)


class SiteFailed(Exception):
    """A step of the setup did not work; the message says which, with the log's tail."""


@dataclass
class Site:
    directory: Path
    environment: dict[str, str]
    port: int = field(default_factory=lambda: free_port())
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def __enter__(self) -> Self:
        signal.signal(signal.SIGTERM, _interrupt)
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self, name: str) -> Path:
        return self.directory / f"{name}.log"

    def run(self, name: str, *argv: str, stdin: str | None = None, ok: Iterable[int] = (0,)) -> str:
        """A one-off command; its output (returned) also goes to ``name``.log."""
        done = subprocess.run(
            argv,
            cwd=self.directory,
            env=self.environment,
            input=stdin.encode() if stdin is not None else None,
            capture_output=True,
            timeout=3600,
            check=False,
        )
        output = (done.stdout + done.stderr).decode(errors="replace")
        self.log(name).write_text(output)
        if done.returncode not in tuple(ok):
            raise SiteFailed(f"{name} exited with {done.returncode}:\n{output[-3000:]}")
        return done.stdout.decode(errors="replace")

    def start(self, name: str, *argv: str) -> subprocess.Popen[bytes]:
        with self.log(name).open("wb") as output:
            process = subprocess.Popen(
                argv, cwd=self.directory, env=self.environment, stdout=output,
                stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        self.processes[name] = process
        return process

    def wait_ready(self, web: str, expected_starts: int) -> None:
        """Until /readyz answers and ``expected_starts`` of uvicorn's processes say so."""
        deadline = time.monotonic() + START_S
        while True:
            if self.processes[web].poll() is not None:
                raise SiteFailed(f"{web} exited:\n{self.tail(web)}")
            started = (
                self.log(web).read_text(errors="replace").count("Application startup complete")
            )
            with contextlib.suppress(httpx2.HTTPError):
                ready = httpx2.get(f"{self.url}/readyz", timeout=5).status_code == 200
                if ready and started >= expected_starts:
                    return
            if time.monotonic() > deadline:
                raise SiteFailed(f"{web} not ready within {START_S:.0f} s:\n{self.tail(web)}")
            time.sleep(0.5)

    def wait_for_line(self, name: str, text: str) -> None:
        deadline = time.monotonic() + START_S
        while text not in self.log(name).read_text(errors="replace"):
            if self.processes[name].poll() is not None or time.monotonic() > deadline:
                raise SiteFailed(f"{name} never said {text!r}:\n{self.tail(name)}")
            time.sleep(0.5)

    def tail(self, name: str, lines: int = 30) -> str:
        text = self.log(name).read_text(errors="replace") if self.log(name).exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        """SIGTERM to every process group, then SIGKILL to what is left after STOP_S."""
        for process in self.processes.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_S
        for name, process in self.processes.items():
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                print(f"{name} still ran {STOP_S:.0f} s after SIGTERM: killed", flush=True)
            with contextlib.suppress(ProcessLookupError):  # the group: children left behind
                os.killpg(process.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(5)
        self.processes.clear()

    def server_problems(self, name: str) -> int:
        """Tracebacks and 5xx answers the server logged (exceptions the client cannot see)."""
        text = self.log(name).read_text(errors="replace") if self.log(name).exists() else ""
        return text.count("Traceback (most recent call last)")


def _interrupt(signum: int, frame: types.FrameType | None) -> None:
    """SIGTERM ends a run like Ctrl-C: the ``with Site`` block stops what it started."""
    raise KeyboardInterrupt


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def schedule_window(today: dt.date) -> tuple[dt.date, dt.date]:
    """Three weeks of shifts around ``today``: from the Monday of the week before."""
    start = today - dt.timedelta(days=today.weekday() + 7)
    return start, start + dt.timedelta(days=20)


def publish_a_schedule(site: Site, today: dt.date, shifts_limit_s: float) -> dict[str, Any]:
    """The rotation plan and three weeks of shifts around ``today``, generated and published
    through the CLI (the shifts published with a reason if the validator found violations);
    returns what the shift generation printed (--json)."""
    site.run("generate-plan", RESCHED, "generate", "plan", "--time-limit", "60", "--workers",
             "1", "--publish")  # fmt: skip
    start, end = schedule_window(today)
    printed = site.run(
        "generate-shifts", RESCHED, "generate", "shifts", "--start", start.isoformat(),
        "--end", end.isoformat(), "--time-limit", f"{shifts_limit_s:g}", "--workers", "2",
        "--publish", "--json", ok=(0, 1),
    )  # fmt: skip
    outcome: dict[str, Any] = json.loads(printed)
    if outcome["version_id"] is None:
        raise SiteFailed(f"no shifts within {shifts_limit_s:g} s: {outcome['message']}")
    if not outcome["published"]:
        site.run("publish", RESCHED, "publish", str(outcome["version_id"]), "--reason",
                 "load benchmark: published with the violations the short search left")  # fmt: skip
    return outcome


def create_accounts(
    site: Site, codes: list[str], coordinators: int, prefix: str = "load"
) -> list[Account]:
    """One resident account per person code and ``coordinators`` coordinator accounts, each
    made by `resched user create --password-stdin` (a few at a time)."""
    accounts = [Account(f"{prefix}-{code.lower()}", secrets.token_urlsafe(18), "resident")
                for code in codes]  # fmt: skip
    accounts += [Account(f"{prefix}-coordinator-{n}", secrets.token_urlsafe(18), "coordinator")
                 for n in range(1, coordinators + 1)]  # fmt: skip
    links = [*codes, *([None] * coordinators)]

    def create(pair: tuple[Account, str | None]) -> None:
        account, code = pair
        argv = [RESCHED, "user", "create", "--username", account.username, "--role",
                account.role, "--password-stdin"]  # fmt: skip
        if code is not None:
            argv += ["--person", code]
        site.run(f"user-{account.username}", *argv, stdin=account.password + "\n")

    with ThreadPoolExecutor(USERS_AT_ONCE) as pool:
        list(pool.map(create, zip(accounts, links, strict=True)))
    return accounts


def resident_codes(database_url: str, count: int) -> list[str]:
    """The codes of up to ``count`` active residents (read directly: setup, not load)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT code FROM person WHERE role = 'resident' AND active ORDER BY code")
            )
            return [code for (code,) in rows][:count]
    finally:
        engine.dispose()


def prepare_program(
    site: Site, today: dt.date, residents: int, faculty: int, shifts_limit_s: float
) -> dict[str, Any]:
    """Migrated, the demo program loaded at its size, a schedule published (see above)."""
    site.run("db-upgrade", RESCHED, "db", "upgrade")
    site.run("demo", RESCHED, "demo", "--residents", str(residents), "--faculty", str(faculty))
    return publish_a_schedule(site, today, shifts_limit_s)


def exit_status(name: str, body: Callable[[], int]) -> int:
    """``body``'s status; 2 if the setup failed, 130 after Ctrl-C (or SIGTERM), each with a
    line on stderr (what the run started is stopped by then: ``with Site`` ends first)."""
    try:
        return body()
    except SiteFailed as exc:
        print(f"{name}: setup failed: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{name}: interrupted; everything it started is stopped", file=sys.stderr)
        return 130


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (from the parent ids in /proc/*/stat)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def cpu_seconds(pids: Iterable[int]) -> float:
    """User and system CPU seconds the processes have used (/proc/PID/stat): on a shared
    machine the CPU a request costs carries over where its wall-clock time does not."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot (/proc/stat's first line,
    summed over the cores): what else ran beside the site shows in the busy share."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle and iowait
    total = sum(fields[:8])  # guest time is already inside user
    tick = os.sysconf("SC_CLK_TCK")
    return (total - idle) / tick, total / tick
