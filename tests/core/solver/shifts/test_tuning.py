"""The shift solver's CP-SAT tuning (solve.py ``tune``): with two workers or more, one worker
searches with the full linear relaxation, every row in the LP from the start."""

from __future__ import annotations

from ortools.sat.python import cp_model

from resched.core.solver.config import SolveConfig
from resched.core.solver.shifts.solve import FULL_LP, tune


def _tuned(workers: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    tune(solver.parameters, SolveConfig(num_workers=workers))
    return solver


def test_two_workers_get_the_full_relaxation_with_every_row_at_once() -> None:
    params = _tuned(2).parameters
    assert list(params.extra_subsolvers) == [FULL_LP]
    text = str(params)  # the subsolver's own parameters, as CP-SAT reads them
    assert f'name: "{FULL_LP}"' in text
    assert "linearization_level: 2" in text
    assert "add_lp_constraints_lazily: false" in text


def test_one_worker_is_left_as_it_is() -> None:
    params = _tuned(1).parameters
    assert list(params.extra_subsolvers) == []
    assert FULL_LP not in str(params)
