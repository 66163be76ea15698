"""The app as `resched serve` builds it in each server process: the start-up objects are frozen
out of the garbage collector's reach, so a full collection no longer walks them (about 180 ms
of a process answering nothing, every few seconds under load; benchmarks/load.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from resched.cli.program import SERVED_APP

SCRIPT = """
import gc
from resched.main import create_served_app
app = create_served_app()
frozen = gc.get_freeze_count()
gc.collect()
print(type(app).__name__, frozen, len(gc.get_objects()))
"""


def _run(script: str, tmp_path: Path) -> list[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RESCHED_")}
    env["RESCHED_DATABASE_URL"] = f"sqlite:///{tmp_path / 'served.db'}"
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.split()


def test_the_served_app_freezes_its_start_up_objects(tmp_path: Path) -> None:
    kind, frozen, left = _run(SCRIPT, tmp_path)
    assert kind == "FastAPI"
    # Most of what start-up made is frozen; what a full collection still walks is a fraction.
    assert int(frozen) > 100_000
    assert int(left) < int(frozen) // 4


def test_create_app_freezes_nothing(tmp_path: Path) -> None:
    script = (
        "import gc\nfrom resched.main import create_app\nbefore = gc.get_freeze_count()\n"
        "create_app()\nprint(before, gc.get_freeze_count())"
    )
    before, after = _run(script, tmp_path)
    assert before == after  # the interpreter's own few hundred, untouched


def test_resched_serve_runs_the_served_factory() -> None:
    module, _, name = SERVED_APP.partition(":")
    assert (module, name) == ("resched.main", "create_served_app")
