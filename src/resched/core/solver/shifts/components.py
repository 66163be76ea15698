"""Solving a shift model as independent parts: variables that share no constraint form
components, and each component is searched as a model of its own.

Exact, not a heuristic: the objective is a sum of weighted terms, so with no constraint
between two components their best values add up, and so do their proven bounds. The parts are
found on the built CP-SAT model itself (not on people or demands), so every constraint family,
present or future, links what it constrains; a constraint of a kind this module does not read
(intervals, tables...) makes the whole model one part. The combined assignment is loaded back
into the whole model (every variable fixed to its value), so CP-SAT checks it against every
constraint at once and the schedule is read and re-checked by ``core.rules`` as after a
monolithic solve.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from ortools.sat.python import cp_model

from resched.core.solver.config import SolveConfig
from resched.core.solver.engine import ParameterTuner, SolverRun, run_model
from resched.core.solver.progress import CancelToken, ProgressCallback, ProgressEvent
from resched.core.solver.result import SolveStatus, Statistic, relative_gap

# Constraint kinds whose variables this module reads; (kind, how to read its references).
_LITERALS = ("bool_or", "bool_and", "at_most_one", "exactly_one", "bool_xor")
_ARGUMENTS = ("lin_max", "int_prod", "int_div", "int_mod")
# Parts smaller than this are solved together: one search per person-day is all overhead.
_SMALL = 200
_DETERMINISTIC = "max_deterministic_time"


def _var(ref: int) -> int:
    """The variable of a literal reference (a negative reference is the negated variable)."""
    return ref if ref >= 0 else -ref - 1


def _expr_refs(expr: Any) -> Iterator[int]:
    yield from expr.vars


def _refs(ct: Any) -> list[int] | None:
    """Variables of one constraint, or None for a kind this module does not read."""
    found = [_var(r) for r in ct.enforcement_literal]
    if ct.has_linear():
        return found + list(ct.linear.vars)
    for kind in _LITERALS:
        if getattr(ct, f"has_{kind}")():
            return found + [_var(r) for r in getattr(ct, kind).literals]
    for kind in _ARGUMENTS:
        if getattr(ct, f"has_{kind}")():
            argument = getattr(ct, kind)
            found += _expr_refs(argument.target)
            for expr in argument.exprs:
                found += _expr_refs(expr)
            return found
    if ct.has_all_diff():
        return found + [v for expr in ct.all_diff.exprs for v in _expr_refs(expr)]
    return None


def components(model: cp_model.CpModel) -> list[list[int]]:
    """Groups of variable indices that no constraint links, largest first; one group holding
    every variable when the model has a constraint this module cannot read."""
    proto = model.proto
    parent = list(range(len(proto.variables)))

    def root(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for ct in proto.constraints:
        refs = _refs(ct)
        if refs is None:
            return [list(range(len(parent)))]
        if refs:
            first = root(refs[0])
            for ref in refs[1:]:
                other = root(ref)
                if other != first:
                    parent[other] = first
    groups: dict[int, list[int]] = {}
    for index in range(len(parent)):
        groups.setdefault(root(index), []).append(index)
    return sorted(groups.values(), key=len, reverse=True)


def parts(model: cp_model.CpModel, small: int = _SMALL) -> list[list[int]]:
    """The components, with those under ``small`` variables solved together as one part
    (solving two independent components in one model is as exact as solving them apart)."""
    found = components(model)
    big = [g for g in found if len(g) >= small]
    rest = sorted(v for g in found if len(g) < small for v in g)
    return [*big, rest] if rest else big


def _submodel(model: cp_model.CpModel, part: list[int]) -> cp_model.CpModel:
    """The whole model with only ``part``'s constraints, objective terms and hints; every other
    variable fixed to a value of its domain (it is in no constraint left, so any value does)."""
    sub = model.clone()
    proto = sub.proto
    inside = set(part)
    for ct in proto.constraints:
        refs = _refs(ct)
        if refs and refs[0] not in inside:
            _clear(ct)
    for index, var in enumerate(proto.variables):
        if index not in inside:
            low = var.domain[0]
            var.domain.clear()
            var.domain.extend([low, low])
    _keep(proto.objective.vars, proto.objective.coeffs, inside)
    proto.objective.offset = 0
    _keep(proto.solution_hint.vars, proto.solution_hint.values, inside)
    return sub


def _keep(variables: Any, numbers: Any, inside: set[int]) -> None:
    """Keeps the (variable, number) pairs of two parallel lists whose variable is ``inside``
    (the objective's terms, the hint's values)."""
    kept = [(v, x) for v, x in zip(variables, numbers, strict=True) if v in inside]
    variables.clear()
    numbers.clear()
    variables.extend(v for v, _ in kept)
    numbers.extend(x for _, x in kept)


def _clear(ct: Any) -> None:
    ct.enforcement_literal.clear()
    for kind in ("linear", *_LITERALS, *_ARGUMENTS, "all_diff"):
        if getattr(ct, f"has_{kind}")():
            getattr(ct, f"clear_{kind}")()
            return


@dataclass(slots=True)
class _Budget:
    """What is left of the wall-clock and deterministic limits, shared by size."""

    seconds: float
    deterministic: float | None
    size: int

    def share(self, config: SolveConfig, size: int) -> SolveConfig:
        fraction = size / self.size
        parameters = dict(config.parameters)
        if self.deterministic is not None:
            parameters[_DETERMINISTIC] = max(self.deterministic * fraction, 1e-3)
        return replace(
            config, time_limit_s=max(self.seconds * fraction, 0.01), parameters=parameters
        )

    def spend(self, run: SolverRun, size: int) -> None:
        self.seconds -= run.wall_time
        self.size -= size
        if self.deterministic is not None:
            used = run.statistics.get("deterministic_time", 0.0)
            self.deterministic -= float(used) if isinstance(used, int | float) else 0.0


def run_parts(
    model: cp_model.CpModel,
    config: SolveConfig,
    *,
    on_progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    tune: ParameterTuner | None = None,
    small: int | None = None,
) -> SolverRun:
    """``run_model`` over the model's independent parts, smallest first (a part that ends early
    leaves its time to the larger ones after it). The result's solver holds the whole model's
    values; its bound is the sum of the parts' bounds. A model of one part runs as it is."""
    # Only a sum of integer terms splits; a model without one is a question of feasibility.
    separable = model.has_objective() and not model.proto.has_floating_point_objective()
    found = parts(model, _SMALL if small is None else small) if separable else []
    if len(found) < 2:
        return run_model(model, config, on_progress=on_progress, cancel=cancel, tune=tune)
    started = time.monotonic()
    found.sort(key=len)
    deterministic = config.parameters.get(_DETERMINISTIC)
    budget = _Budget(
        config.time_limit_s,
        float(deterministic) if isinstance(deterministic, int | float) else None,
        sum(len(p) for p in found),
    )
    offset = float(model.proto.objective.offset)
    objective, bound = offset, offset
    values: dict[int, int] = {}
    statistics: dict[str, Statistic] = {"parts": len(found), "part_sizes": _sizes(found)}
    totals = dict.fromkeys(("deterministic_time", "conflicts", "branches"), 0.0)
    optimal = True
    for number, part in enumerate(found):
        last = number == len(found) - 1
        report = _relay(on_progress, started, objective, bound) if last else None
        run = run_model(
            _submodel(model, part),
            budget.share(config, len(part)),
            on_progress=report,
            cancel=cancel,
            tune=tune,
        )
        budget.spend(run, len(part))
        for key in totals:
            value = run.statistics.get(key, 0)
            totals[key] += float(value) if isinstance(value, int | float) else 0.0
        if not run.has_solution or run.objective is None or run.best_bound is None:
            return replace(
                run, statistics={**run.statistics, **statistics}, wall_time=_since(started)
            )
        if last and "first_solution_s" in run.statistics:
            # The whole schedule exists once the last part has its first solution.
            first = float(run.statistics["first_solution_s"]) + _since(started) - run.wall_time
            statistics["first_solution_s"] = round(first, 4)
        objective += run.objective
        bound += run.best_bound
        optimal = optimal and run.status is SolveStatus.OPTIMAL
        solution = run.solver.response_proto.solution
        values.update((v, int(solution[v])) for v in part)
    whole = _load(model, values)
    statistics.update({k: round(v, 4) for k, v in totals.items()})
    statistics.update(
        {
            "variables": len(model.proto.variables),
            "constraints": len(model.proto.constraints),
            "solver_status": whole.statistics.get("solver_status", ""),
        }
    )
    if not whole.has_solution or whole.objective is None or abs(whole.objective - objective) > 1e-6:
        # Cannot happen when the parts are truly independent: a bug, and not to be hidden.
        raise RuntimeError("the parts' combined solution does not solve the whole model")
    return SolverRun(
        status=SolveStatus.OPTIMAL if optimal else SolveStatus.FEASIBLE,
        solver=whole.solver,
        has_solution=True,
        objective=objective,
        best_bound=bound,
        gap=relative_gap(objective, bound),
        statistics=statistics,
        wall_time=_since(started),
    )


def _load(model: cp_model.CpModel, values: dict[int, int]) -> SolverRun:
    """The whole model solved with every variable fixed to the parts' values."""
    whole = model.clone()
    proto = whole.proto
    proto.clear_solution_hint()
    for index in range(len(proto.variables)):
        proto.solution_hint.vars.append(index)
        proto.solution_hint.values.append(values.get(index, proto.variables[index].domain[0]))
    config = SolveConfig(
        time_limit_s=60.0, num_workers=1, parameters={"fix_variables_to_their_hinted_value": True}
    )
    return run_model(whole, config)


def _relay(
    on_progress: ProgressCallback | None, started: float, objective: float, bound: float
) -> ProgressCallback | None:
    """Progress of the last part as progress of the whole: the finished parts' values added."""
    if on_progress is None:
        return None
    report: Callable[[ProgressEvent], None] = on_progress

    def relay(event: ProgressEvent) -> None:
        report(
            ProgressEvent(
                None if event.objective is None else objective + event.objective,
                None if event.bound is None else bound + event.bound,
                _since(started),
                event.solutions,
            )
        )

    return relay


def _sizes(found: list[list[int]]) -> str:
    return "/".join(str(len(p)) for p in found)


def _since(started: float) -> float:
    return time.monotonic() - started
