"""Naming hard requirements so that an infeasible model can say which of them conflict.

Each named requirement (e.g. "Block 3 needs at least 2 PGY-2..3 residents on ICU") guards its
constraints with one enforcement literal. Solved with every literal assumed true, an infeasible
model yields a sufficient subset of assumptions (an unsatisfiable core); dropping the members
one at a time and re-solving shrinks it to a minimal one, where every requirement left is needed
for the conflict. The plain solve never carries these literals: they weaken presolve, so the
model is rebuilt with them only after it has been found infeasible.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from resched.core.solver.config import SolveConfig
from resched.core.solver.engine import run_model
from resched.core.solver.progress import CancelToken
from resched.core.solver.result import SolveStatus


@dataclass(frozen=True, slots=True)
class Requirement:
    """A hard requirement as a coordinator states it. ``key`` is stable and unique per model."""

    key: str
    message: str


class Requirements:
    """Where model builders add their hard constraints, under the requirement they express.

    With ``explain`` False the constraints are added unconditionally; with ``explain`` True each
    requirement gets one literal that enforces all of its constraints.
    """

    def __init__(self, model: cp_model.CpModel, *, explain: bool) -> None:
        self.model = model
        self.explain = explain
        self._literals: dict[str, cp_model.IntVar] = {}
        self._by_index: dict[int, Requirement] = {}

    def add(self, requirement: Requirement, constraint: cp_model.Constraint) -> None:
        if self.explain:
            constraint.only_enforce_if(self._literal(requirement))

    def _literal(self, requirement: Requirement) -> cp_model.IntVar:
        literal = self._literals.get(requirement.key)
        if literal is None:
            literal = self.model.new_bool_var(f"req[{requirement.key}]")
            self._literals[requirement.key] = literal
            self._by_index[literal.index] = requirement
        return literal

    @property
    def literals(self) -> list[cp_model.IntVar]:
        return list(self._literals.values())

    def requirement(self, index: int) -> Requirement:
        return self._by_index[index]

    def literal(self, key: str) -> cp_model.IntVar:
        """The enforcement literal of a requirement (explain mode only)."""
        return self._literals[key]


@dataclass(frozen=True, slots=True)
class Explanation:
    """The conflicting requirements found; ``minimal`` when every one was shown to be needed
    (the shrinking finished within its time budget)."""

    requirements: tuple[Requirement, ...]
    minimal: bool
    proven: bool  # the model was shown infeasible under the assumptions at all


def _core(
    requirements: Requirements,
    assumed: list[cp_model.IntVar],
    config: SolveConfig,
    cancel: CancelToken | None,
) -> tuple[SolveStatus, list[cp_model.IntVar]]:
    model = requirements.model
    model.clear_assumptions()
    model.add_assumptions(assumed)
    run = run_model(model, config, cancel=cancel)
    if run.status is not SolveStatus.INFEASIBLE:
        return run.status, assumed
    wanted = set(run.solver.sufficient_assumptions_for_infeasibility())
    return run.status, [lit for lit in assumed if lit.index in wanted]


def explain_infeasibility(
    requirements: Requirements, config: SolveConfig, *, cancel: CancelToken | None = None
) -> Explanation:
    """Finds a small set of requirements that cannot all hold, within
    ``config.explain_time_limit_s``. Cores come from one worker: CP-SAT reports them reliably
    only there, and the explaining solves are small."""
    deadline = time.monotonic() + config.explain_time_limit_s

    def settings() -> SolveConfig:
        left = max(0.05, deadline - time.monotonic())
        return replace(config, num_workers=1, time_limit_s=left, deterministic=False)

    status, core = _core(requirements, requirements.literals, settings(), cancel)
    if status is not SolveStatus.INFEASIBLE:
        return Explanation((), minimal=False, proven=False)
    minimal = True
    for literal in list(core):
        if all(lit is not literal for lit in core):
            continue  # already dropped by a smaller core found on the way
        # (identity, not ``in``: IntVar overloads == to build constraints)
        if time.monotonic() >= deadline or (cancel is not None and cancel.cancelled):
            minimal = False
            break
        trial = [lit for lit in core if lit is not literal]
        status, smaller = _core(requirements, trial, settings(), cancel)
        if status is SolveStatus.INFEASIBLE:
            core = smaller  # not needed: the rest still conflicts
        elif status is not SolveStatus.FEASIBLE and status is not SolveStatus.OPTIMAL:
            minimal = False  # undecided in time: keep it, but do not claim minimality
    requirements.model.clear_assumptions()
    found = tuple(requirements.requirement(lit.index) for lit in core)
    return Explanation(found, minimal=minimal, proven=True)
