"""The web process starts without the solver: importing the app, creating it and serving a
request load neither ortools nor pandas (which ortools pulls in). Workers and the CLI commands
that solve import the search on first use, and it still works through the lazy names."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("ortools", "pandas")


def modules_after(code: str, cwd: Path) -> set[str]:
    """The heavy modules loaded by ``code`` in a fresh interpreter (it must print nothing)."""
    probe = f"{code}\nimport sys\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=cwd, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split())


def test_importing_the_app_loads_neither_ortools_nor_pandas(tmp_path: Path) -> None:
    assert modules_after("import resched.main", tmp_path) == set()


# What the web process reads of the solver: its value types, the problems' constants, and the
# generation services that enqueue and report solves.
VALUE_MODULES = (
    "resched.core.solver",
    "resched.core.solver.plan",
    "resched.core.solver.shifts",
    "resched.core.solver.shifts.counters",
    "resched.services.generation",
    "resched.api.schemas.generation",
)


def test_value_types_and_services_load_without_the_solver(tmp_path: Path) -> None:
    assert modules_after("\n".join(f"import {m}" for m in VALUE_MODULES), tmp_path) == set()


def test_creating_the_app_and_serving_a_request_loads_neither(tmp_path: Path) -> None:
    code = f"""
from fastapi.testclient import TestClient
import resched.main
from resched.settings import Settings
app = resched.main.create_app(Settings(database_url="sqlite:///{tmp_path / "lean.db"}"))
with TestClient(app) as client:
    assert client.get("/healthz").status_code == 200
"""
    assert modules_after(code, tmp_path) == set()


def test_the_searches_are_still_there_on_first_use(tmp_path: Path) -> None:
    code = """
from resched.core.solver.plan import PlanVars, plan_rotations
from resched.core.solver.shifts import schedule_shifts
from resched.core.solver.plan.solve import plan_rotations as direct
assert plan_rotations is direct and callable(schedule_shifts) and PlanVars.__name__ == "PlanVars"
"""
    # cp_model's optional pandas API is not loaded with it (core/solver/cp_model_import.py).
    assert modules_after(code, tmp_path) == {"ortools"}


def test_cp_model_works_and_real_pandas_still_imports_after_it(tmp_path: Path) -> None:
    code = """
from resched.core.solver.plan import plan_rotations
from ortools.sat.python import cp_model
model = cp_model.CpModel()
x = model.new_bool_var("x")
model.maximize(x)
solver = cp_model.CpSolver()
assert solver.solve(model) == cp_model.OPTIMAL and solver.boolean_value(x)
import pandas
assert hasattr(pandas, "DataFrame")
"""
    assert modules_after(code, tmp_path) == {"ortools", "pandas"}


def test_an_unknown_name_is_still_an_attribute_error() -> None:
    import resched.core.solver.shifts as shifts

    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        _ = shifts.nothing_here  # type: ignore[attr-defined]
