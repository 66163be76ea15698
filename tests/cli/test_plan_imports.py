"""``resched generate plan`` starts lean: what it imports to parse the command, check the
request, solve and store a plan leaves out the modules of other commands (the diff, review and
publishing services, the interchange reader, the rule engine, the shift search, rich's
console). The packages that now name their contents lazily still hand out every name."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

# What the plan command loads: the CLI, the generation services it calls and the plan search.
PLAN_PATH = """
import resched.cli
from resched.cli.progress import SolveBar
SolveBar("plan", 30.0, enabled=False)
from resched.services.generation import GenerationKind, GenerationRequest, Limits
from resched.services.generation import make_spec, run_generation
from resched.core.solver.plan import plan_rotations
"""
NOT_NEEDED = (
    "resched.services.generation.diff",
    "resched.services.generation.review",
    "resched.services.generation.publish",
    "resched.core.interchange",
    "resched.core.rules.engine",
    "resched.core.solver.shifts.solve",
    "rich.console",
)


# ... and what it does load (so the probe is not vacuous).
NEEDED = (
    "resched.services.generation.run",
    "resched.services.generation.store",
    "resched.core.solver.plan.solve",
    "resched.core.solver.plan.greedy",
)


def test_the_plan_path_loads_none_of_the_other_commands_modules(tmp_path: Path) -> None:
    watched = (*NOT_NEEDED, *NEEDED)
    probe = f"{PLAN_PATH}\nimport sys\nprint(' '.join(m for m in {watched!r} if m in sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    assert set(done.stdout.split()) == set(NEEDED)


@pytest.mark.parametrize("package", ["resched.services.generation", "resched.core.rules"])
def test_every_lazy_name_resolves(package: str) -> None:
    module = importlib.import_module(package)
    for name in module.__all__:
        assert getattr(module, name) is not None, name
    with pytest.raises(AttributeError, match="no attribute 'missing'"):
        _ = module.missing


def test_the_version_is_read_on_first_use() -> None:
    import resched

    assert isinstance(resched.__version__, str)
    assert resched.__version__.count(".") >= 1
