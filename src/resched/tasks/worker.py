"""Starting workers and beat: ``resched worker``, ``resched beat``, and the worker that
``resched serve`` starts in embedded mode (resched.tasks.embedded).

A standalone worker shows Celery's banner (its configuration, for operators and bug reports).
The embedded one shares the console with the server, so it says one line when it is ready and
leaves the rest of Celery's start-up chatter out (docs/jobs.md).
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from celery.exceptions import SecurityWarning
from celery.signals import worker_ready

from resched.logs import get_logger
from resched.settings import VAR_DIR, Settings
from resched.tasks.app import make_celery

PARENT_POLL_SECONDS = 1.0
EMBEDDED_READY = "embedded worker ready"
# Celery's start-up lines (beat starting, broker connected, "celery@host ready.") and beat's
# "sending due task" every minute: INFO on these loggers; their warnings and errors still show.
EMBEDDED_QUIET_LOGGERS = ("celery.apps.worker", "celery.beat", "celery.worker.consumer")
log = get_logger("resched.jobs")


@dataclass(frozen=True, slots=True)
class WorkerOptions:
    concurrency: int = 1
    pool: str = "prefork"  # prefork, solo or threads
    beat: bool = False  # run the beat schedule inside this worker (embedded mode)
    name: str | None = None
    parent_pid: int | None = None  # stop when this process is gone (embedded mode)
    loglevel: str = "INFO"
    embedded: bool = False  # started by `resched serve`: one line at start-up, no banner


def worker_argv(settings: Settings, options: WorkerOptions) -> list[str]:
    name = options.name or f"resched-{os.getpid()}@{socket.gethostname()}"
    argv = ["--quiet"] if options.embedded else []  # Celery's own option: no banner
    argv += [
        "worker",
        f"--hostname={name}",
        f"--queues={settings.job_queue}",
        f"--concurrency={options.concurrency}",
        f"--pool={options.pool}",
        f"--loglevel={options.loglevel}",
        # Remote control and the gossip between workers need a broadcast exchange, which the
        # embedded SQLAlchemy transport lacks; the job table, not Celery's events, is how
        # resched watches its jobs.
        "--without-mingle",
        "--without-gossip",
    ]
    if settings.broker_url is None:
        argv.append("--without-heartbeat")
    if options.beat:
        argv += ["--beat", f"--schedule={_beat_file()}"]
    return argv


def run_worker(settings: Settings, options: WorkerOptions) -> None:
    """Run a worker in this process until it is told to stop (SIGTERM: finish the current
    job, then exit; a second signal or SIGQUIT: exit now, the job's message stays unacknowledged
    and is delivered again)."""
    lower_priority(settings.worker_nice)
    app = make_celery(settings)
    if settings.broker_url is None:
        VAR_DIR.mkdir(parents=True, exist_ok=True)  # where the embedded broker's file lives
    if options.parent_pid is not None:
        _stop_with_parent(options.parent_pid)
    if options.embedded:
        _quiet_start(settings, options)
    app.worker_main(worker_argv(settings, options))


def lower_priority(nice: int) -> int:
    """Lower this process's CPU priority to ``nice`` (never raise it: a process already nicer
    stays so); its pool's processes inherit it. Returns the value now in force."""
    current = os.getpriority(os.PRIO_PROCESS, 0)
    if nice > current:
        os.setpriority(os.PRIO_PROCESS, 0, nice)
    return os.getpriority(os.PRIO_PROCESS, 0)


def run_beat(settings: Settings, loglevel: str = "INFO") -> None:
    """Run the scheduler (exactly one per deployment; a second one is harmless, since every
    periodic task is idempotent, but wasteful)."""
    app = make_celery(settings)
    app.start(["beat", f"--schedule={_beat_file()}", f"--loglevel={loglevel}"])


def _quiet_start(settings: Settings, options: WorkerOptions) -> None:
    """The embedded worker's start-up in one line (two when it runs as the superuser)."""
    for name in EMBEDDED_QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    if os.geteuid() == 0:
        # Celery warns in nine lines; its reason (pickle lets a message run code as root) does
        # not apply to a worker that accepts JSON only (app.py), so one line says it.
        warnings.filterwarnings("ignore", category=SecurityWarning)
        log.warning("embedded worker runs as the superuser (root); run resched as an ordinary user")

    def announce(**_: Any) -> None:
        log.info(
            f"{EMBEDDED_READY}: {options.concurrency} process(es), queue {settings.job_queue}",
            pool=options.pool,
            beat=options.beat,
            pid=os.getpid(),
            nice=os.getpriority(os.PRIO_PROCESS, 0),
        )

    worker_ready.connect(announce, weak=False)


def _beat_file() -> Path:
    # Beat remembers when each entry last ran, so a restart does not repeat or skip a night.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return (VAR_DIR / "celerybeat-schedule").resolve()


def _stop_with_parent(parent_pid: int) -> None:
    """The embedded worker ends with the server that started it, even when the server was
    killed too abruptly to stop it (its parent id changes when the parent dies)."""

    def watch() -> None:
        stop = threading.Event()
        while not stop.wait(PARENT_POLL_SECONDS):
            if os.getppid() != parent_pid:
                os.kill(os.getpid(), signal.SIGTERM)
                return

    threading.Thread(target=watch, name="resched-parent-watch", daemon=True).start()
