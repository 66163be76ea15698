"""Where the 150-resident block's gap comes from (prints figures; not a test).

    PYTHONPATH=. .venv/bin/python benchmarks/large_gap.py --work 60 --alone 10 --lp 60

150 residents / 60 faculty (``resched demo --residents 150 --faculty 60``), block 1 of the
rotation planner's plan with the CLI's 27 days of look-ahead, as ``generate_shifts.py --only
large --large-plan planner`` solves it; every limit is CP-SAT's deterministic time (work
units, summed over the workers), so the figures are the search's, not the machine's load.

- the greedy first schedule (completed to a solution of the whole model, hint.py): its
  objective by penalty;
- ``--work W``: the shipped search (2 workers, solve.py's ``tune``) from that schedule for W
  units: objective, bound and the best schedule's penalties by term and by rotation;
- ``--alone W``: each penalty term alone as the objective, every hard rule kept, W units each:
  its least value (a lower bound of that term in every schedule; their sum bounds the whole);
- ``--lp S``: one worker with the full linear relaxation (every row at once) for S seconds,
  hinted once with the greedy schedule and once with the best schedule of ``--work``: the
  bound over time (the relaxation proves its bound only once the schedule it starts from is
  good).
"""

from __future__ import annotations

import argparse
import collections
import time
from typing import Any

from ortools.sat.python import cp_model

from resched.core.demo import build_demo
from resched.core.solver import SolveConfig
from resched.core.solver.config import resolve_weights
from resched.core.solver.shifts.build import build_model, read_penalties
from resched.core.solver.shifts.context import ModelContext
from resched.core.solver.shifts.demo import demo_shift_problem
from resched.core.solver.shifts.hint import first_solution, hint_all
from resched.core.solver.shifts.problem import DEFAULT_WEIGHTS
from resched.core.solver.shifts.solve import tune

WORKERS = 2


def _plan() -> tuple[Any, Any]:
    from resched.core.solver.plan import plan_rotations
    from resched.core.solver.plan.demo import demo_plan_problem

    demo = build_demo(residents=150, faculty=60)
    planned = plan_rotations(
        demo_plan_problem(demo), SolveConfig(time_limit_s=20, num_workers=WORKERS)
    )
    if planned.solution is None:
        raise SystemExit(f"the planner found no plan ({planned.status})")
    print(f"plan: the planner's ({planned.status})")
    return demo, planned.solution.assignments


def _objective(model: cp_model.CpModel, values: list[int]) -> float:
    objective = model.proto.objective
    return float(sum(c * values[v] for v, c in zip(objective.vars, objective.coeffs, strict=True)))


def _by_term(ctx: ModelContext, solver: cp_model.CpSolver, *, rotations: bool) -> str:
    found: collections.Counter[str] = collections.Counter()
    for penalty in read_penalties(ctx, solver):
        key = penalty.name
        if rotations and penalty.person_id is not None and penalty.date is not None:
            key += f" ({ctx.rotation(penalty.person_id, penalty.date) or '-'})"
        found[key] += penalty.cost
    return ", ".join(f"{k} {v}" for k, v in found.most_common())


def _solver(work: float, workers: int = WORKERS, seconds: float = 1e9) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = workers
    params.max_deterministic_time = work
    params.max_time_in_seconds = seconds
    return solver


def _fixed(model: cp_model.CpModel, values: list[int]) -> cp_model.CpSolver:
    """A solver holding ``values`` (every variable fixed), to read penalties from."""
    copy = model.clone()
    hint_all(copy, values)
    solver = _solver(10.0, workers=1)
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.solve(copy)
    return solver


def _search(ctx: ModelContext, start: list[int], work: float) -> list[int]:
    model = ctx.model.clone()
    hint_all(model, start)
    solver = _solver(work)
    tune(solver.parameters, SolveConfig(num_workers=WORKERS))
    began = time.monotonic()
    status = solver.solve(model)
    print(
        f"search, {work:g} units: {solver.status_name(status)}, objective "
        f"{solver.objective_value:g}, bound {solver.best_objective_bound:g}, "
        f"{solver.deterministic_time:.1f} units reported, {time.monotonic() - began:.0f} s"
    )
    return list(solver.response_proto.solution)


def _alone(ctx: ModelContext, work: float) -> None:
    terms: dict[str, list[Any]] = collections.defaultdict(list)
    for term in ctx.terms:
        terms[term.name].append(term)
    least = 0.0
    for name, mine in sorted(terms.items()):
        model = ctx.model.clone()
        model.clear_objective()
        model.minimize(sum(t.weight * t.expr for t in mine))
        solver = _solver(work)
        tune(solver.parameters, SolveConfig(num_workers=WORKERS))  # the full relaxation's bound
        status = solver.solve(model)
        found = solver.objective_value if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None
        least += solver.best_objective_bound
        print(
            f"  {name} alone: {solver.status_name(status)}, least found {found}, "
            f"bound {solver.best_objective_bound:g}"
        )
    print(f"  sum of the terms' bounds: {least:g} (a bound of the whole objective)")


def _relaxation(ctx: ModelContext, start: list[int], seconds: float, label: str) -> None:
    model = ctx.model.clone()
    hint_all(model, start)
    solver = _solver(1e9, workers=1, seconds=seconds)
    solver.parameters.linearization_level = 2
    solver.parameters.add_lp_constraints_lazily = False
    began = time.monotonic()
    seen: list[str] = []

    def bound(value: float) -> None:
        seen.append(f"{value:g} at {time.monotonic() - began:.1f} s")

    solver.best_bound_callback = bound
    solver.solve(model)
    print(f"  from {label} ({_objective(ctx.model, start):g}): {', '.join(seen[-4:])}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--work", type=float, default=60.0)
    parser.add_argument("--alone", type=float, help="work units per term alone")
    parser.add_argument("--lp", type=float, help="seconds of the full relaxation, per start")
    args = parser.parse_args()
    demo, plan = _plan()
    problem = demo_shift_problem(demo, plan, block=1, lookahead_days=27)
    ctx = build_model(problem, resolve_weights(DEFAULT_WEIGHTS, problem.weights)).ctx
    model = ctx.model
    print(f"model: {len(model.proto.variables)} variables, {len(model.proto.constraints)} "
          f"constraints, {len(ctx.terms)} penalty terms")  # fmt: skip
    greedy = first_solution(ctx, SolveConfig(time_limit_s=60, num_workers=WORKERS))
    if not isinstance(greedy, list):
        raise SystemExit("the greedy schedule could not be completed")
    start = _by_term(ctx, _fixed(model, greedy), rotations=False)
    print(f"greedy start {_objective(model, greedy):g}: {start}")
    best = _search(ctx, greedy, args.work)
    print(f"  by term: {_by_term(ctx, _fixed(model, best), rotations=False)}")
    print(f"  by term and rotation: {_by_term(ctx, _fixed(model, best), rotations=True)}")
    if args.alone:
        _alone(ctx, args.alone)
    if args.lp:
        print(f"full relaxation, one worker, {args.lp:g} s (last bounds proved):")
        _relaxation(ctx, greedy, args.lp, "the greedy schedule")
        _relaxation(ctx, best, args.lp, "the search's best")
    with open("/proc/loadavg") as f:
        print(f"load {' '.join(f.read().split()[:3])}")


if __name__ == "__main__":
    main()
