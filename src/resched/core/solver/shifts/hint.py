"""A complete first solution of the shift model, from the greedy schedule (greedy.py), to hint
CP-SAT with every variable.

The greedy decides the slots; the other variables (free days, days off a pattern, fairness
bands, penalties) follow from them, so a copy of the model with the slots fixed is solved to
read them all. Where the greedy left a minimum short, the slots of the people who could have
taken it stay free in that copy (the rest fixed), and the copy searches just them: a small
repair. The result is a solution of the whole model, given to CP-SAT as a complete hint.
"""

from __future__ import annotations

import dataclasses

from ortools.sat.python import cp_model

from resched.core.model import Assignment
from resched.core.solver.config import SolveConfig
from resched.core.solver.engine import run_model
from resched.core.solver.shifts.context import ModelContext
from resched.core.solver.shifts.greedy import greedy_schedule


def first_solution(ctx: ModelContext, config: SolveConfig) -> list[int] | tuple[Assignment, ...]:
    """Values of every variable of ``ctx.model`` in one solution; else, if the greedy
    schedule cannot be completed within ``config``'s limits (each of the two tries gets
    half), the greedy's own assignments (a hint of the slots alone)."""
    first = greedy_schedule(ctx)
    on = {id(s) for s in first.worked}
    freed = set(first.short)
    half = dataclasses.replace(config, time_limit_s=config.time_limit_s / 2)
    for _ in range(2):
        solver = _search(_fixed(ctx, on, freed), half)
        if solver is not None:
            return list(solver.response_proto.solution)
        if not freed:
            break
        # The shortage may need a neighbour's slot: free everyone who could take a shift the
        # freed people can (ICU call handed on so that the same resident can start nights).
        freed |= {
            other.person.id
            for slot in ctx.vars.decided
            if slot.person.id in freed
            for other in ctx.vars.on(slot.day, slot.shift.code)
        }
    return tuple(Assignment(s.person.id, s.day, s.shift.code) for s in first.worked)


def _fixed(ctx: ModelContext, on: set[int], freed: set[int]) -> cp_model.CpModel:
    """A copy of the model with every slot of the people not ``freed`` fixed as the greedy
    chose (``on``: id() of the slots worked), the freed ones hinted."""
    copy = ctx.model.clone()
    for slot in ctx.vars.decided:
        value = int(id(slot) in on)
        if slot.person.id in freed:
            copy.add_hint(slot.literal, value)
        else:
            domain = copy.proto.variables[slot.literal.index].domain
            domain[0] = domain[1] = value
    return copy


def _search(model: cp_model.CpModel, config: SolveConfig) -> cp_model.CpSolver | None:
    # Most variables are fixed: presolve removes them; the linear relaxation and symmetry
    # detection, which cost much of a search of the whole model, are left out.
    extra = {"stop_after_first_solution": True, "linearization_level": 0, "symmetry_level": 0}
    run = run_model(
        model,
        SolveConfig(
            time_limit_s=config.time_limit_s,
            num_workers=config.num_workers,
            seed=config.seed,
            parameters={**extra, **_work(config)},
        ),
    )
    return run.solver if run.has_solution else None


def _work(config: SolveConfig) -> dict[str, object]:
    limit = config.parameters.get("max_deterministic_time")
    return {} if limit is None else {"max_deterministic_time": limit}


def hint_all(model: cp_model.CpModel, values: list[int]) -> None:
    """Replaces the model's hint with ``values`` for every variable (a complete hint)."""
    model.clear_hints()  # type: ignore[no-untyped-call]
    hint = model.proto.solution_hint
    hint.vars.extend(range(len(values)))
    hint.values.extend(values)
