"""How workers start, without starting one: the embedded worker asks Celery for no banner, a
standalone one keeps it, and the beat schedule lives with the beat tasks (tests/tasks start
real workers: test_embedded.py reads the embedded worker's one line, test_redis_worker.py the
standalone banner)."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from resched.settings import Settings
from resched.tasks import beat
from resched.tasks.app import make_celery
from resched.tasks.worker import WorkerOptions, worker_argv
from tests.accounts import settings_for

SETTINGS = settings_for("sqlite://", job_queue="jobs")


def test_the_embedded_worker_asks_celery_for_no_banner() -> None:
    argv = worker_argv(SETTINGS, WorkerOptions(pool="solo", beat=True, embedded=True))
    assert argv[:2] == ["--quiet", "worker"]  # Celery's global option, before the command
    assert "--queues=jobs" in argv


def test_a_standalone_worker_keeps_the_banner() -> None:
    argv = worker_argv(SETTINGS, WorkerOptions(concurrency=2))
    assert argv[0] == "worker"
    assert "--quiet" not in argv


def test_the_beat_schedule_names_the_registered_beat_tasks() -> None:
    app = make_celery(SETTINGS)
    schedule = app.conf.beat_schedule
    assert schedule == beat.beat_schedule(SETTINGS)
    names = {
        beat.REAP,
        beat.SEND_MAIL,
        beat.NIGHTLY_COMPLIANCE,
        beat.WEEKLY_FAIRNESS,
        beat.NIGHTLY_CONTINGENCY,
    }
    assert {entry["task"] for entry in schedule.values()} == names
    assert names <= set(app.tasks)


def test_each_app_runs_its_own_tasks() -> None:
    """Two apps in one process (the tests make many): each task of the second is its own, not
    the first app's callable - Celery's shared tasks registered the first app's closures, with
    the first app's settings and database, into every app made after it."""
    first = make_celery(settings_for("sqlite:///first.db", job_queue="jobs"))
    second = make_celery(settings_for("sqlite:///second.db", job_queue="jobs"))
    names = [name for name in second.tasks if name.startswith("resched.")]
    assert len(names) >= 10
    for name in names:
        assert _callable(second.tasks[name]) is not _callable(first.tasks[name]), name


def _callable(task: Any) -> object:
    return getattr(task, "_decorated_fun", None) or task.run


def test_a_worker_lowers_its_cpu_priority_and_never_raises_it() -> None:
    """Solves are batch work: a worker runs at RESCHED_WORKER_NICE (10 by default) so pages
    answered beside a solve do not queue behind it; a process already nicer stays so."""
    script = (
        "import os; from resched.tasks.worker import lower_priority; "
        "print(lower_priority(7), lower_priority(3), lower_priority(0), "
        "os.getpriority(os.PRIO_PROCESS, 0))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.split()
    start = os.getpriority(os.PRIO_PROCESS, 0)
    expected = max(start, 7)
    assert out == [str(expected)] * 4
    assert Settings.model_fields["worker_nice"].default == 10  # the production default
