"""Where a year's gap comes from, block by block, in CP-SAT's deterministic work units (prints
figures; not a test).

    PYTHONPATH=. .venv/bin/python benchmarks/block_search.py capture --work 8 --out DIR
    PYTHONPATH=. .venv/bin/python benchmarks/block_search.py solve DIR/block_01.pkl --work 10 \
        --seed 0 [--param linearization_level=2] [--subsolvers max_lp,default_lp]

``capture`` runs the demo year as benchmarks/generate_year.py does (the service's first pass,
``--work`` units a block) and keeps each block's ``ShiftProblem`` exactly as the run built it
(its history the blocks generated before it), pickled one file a block. ``solve`` searches one
of them with 2 workers under a deterministic limit (no gap limit, so every configuration uses
the same work) and prints the objective, the bound and the work reported; every schedule is
re-checked by ``core.rules`` (``violations``). The work limit is what makes figures taken on a
loaded machine comparable; with 2 workers CP-SAT's portfolio is not deterministic, so repeat
with several seeds.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pickle
import time
from typing import Any

import resched.core.solver.progress as progress
import resched.core.solver.shifts as shifts_module
import resched.core.solver.shifts.solve as solve_module
import resched.services.generation.year as year_module
from resched.core.solver import SolveConfig
from resched.core.solver.shifts import ShiftProblem, schedule_shifts


def _load() -> str:
    with open("/proc/loadavg", encoding="ascii") as handle:
        return " ".join(handle.read().split()[:3])


def capture(work: float, out: str, workers: int, seconds: float, seed: int) -> None:
    from benchmarks.generate_year import _line, _prepare

    from resched.services.generation import (
        GenerationKind,
        GenerationRequest,
        Limits,
        make_spec,
        run_generation,
    )

    os.makedirs(out, exist_ok=True)
    original = shifts_module.schedule_shifts
    seen: dict[int, ShiftProblem] = {}

    def keeping(problem: ShiftProblem, config: SolveConfig, **kwargs: Any) -> Any:
        number = next(b.number for b in problem.blocks if b.start == problem.start)
        if number not in seen:  # the first-pass problem (a rescue solves the same one)
            seen[number] = problem
            with open(os.path.join(out, f"block_{number:02d}.pkl"), "wb") as handle:
                pickle.dump(problem, handle)
        return original(problem, config, **kwargs)

    shifts_module.schedule_shifts = keeping  # type: ignore[assignment]
    year_module.revisit = lambda *_args, **_kwargs: None  # type: ignore[assignment]
    factory = _prepare(f"sqlite:///{os.path.join(out, 'year.db')}", workers)
    limits = Limits(time_limit_s=seconds, seed=seed, num_workers=workers, work_limit=work)
    spec = make_spec(factory=factory, request=GenerationRequest(GenerationKind.YEAR, limits))
    outcome = run_generation(factory=factory, spec=spec, actor=None, on_block=_line)
    print(
        f"year: objective {outcome.objective} bound {outcome.best_bound} gap {outcome.gap} "
        f"violations {outcome.violations}; problems in {out}; load {_load()}"
    )


def _value(text: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def _switch(item: str) -> None:
    target, _, value = item.partition("=")
    module_name, _, attribute = target.rpartition(".")
    module = importlib.import_module(module_name)
    assert hasattr(module, attribute), target
    setattr(module, attribute, _value(value))


TRAJECTORY: list[tuple[float, float]] = []  # (work reported so far, objective) per solution


def _trace() -> None:
    """Each solution's objective with the work CP-SAT reports at that moment."""
    original = progress.SearchMonitor.on_solution_callback

    def traced(self: progress.SearchMonitor) -> None:
        TRAJECTORY.append((round(self.deterministic_time, 2), self.objective_value))
        original(self)

    progress.SearchMonitor.on_solution_callback = traced  # type: ignore[method-assign]


def solve(path: str, args: argparse.Namespace) -> None:
    _trace()
    with open(path, "rb") as handle:
        problem: ShiftProblem = pickle.load(handle)
    parameters: dict[str, object] = {"max_deterministic_time": args.work}
    for item in args.param:
        name, _, value = item.partition("=")
        parameters[name] = _value(value)
    if args.subsolvers:
        original = solve_module.tune

        def only(params: Any, config: SolveConfig) -> None:
            original(params, config)
            params.extra_subsolvers.clear()
            params.subsolvers.extend(args.subsolvers.split(","))

        solve_module.tune = only  # type: ignore[assignment]
    config = SolveConfig(
        time_limit_s=args.seconds,
        seed=args.seed,
        num_workers=args.workers,
        relative_gap=args.gap,
        parameters=parameters,
    )
    started = time.monotonic()
    result = schedule_shifts(problem, config)
    stats = result.statistics
    by_name: dict[str, int] = {}
    for penalty in result.penalties:
        by_name[penalty.name] = by_name.get(penalty.name, 0) + penalty.cost
    print(
        json.dumps(
            {
                "block": os.path.basename(path),
                "label": args.label,
                "seed": args.seed,
                "work": args.work,
                "status": str(result.status),
                "objective": result.objective,
                "bound": result.best_bound,
                "gap": None if result.gap is None else round(result.gap, 4),
                "reported_work": stats.get("deterministic_time"),
                "first_solution_s": stats.get("first_solution_s"),
                "tightened_from": stats.get("tightened_from"),
                "violations": len(result.violations),
                "penalties": dict(sorted(by_name.items(), key=lambda kv: -kv[1])),
                "wall": round(time.monotonic() - started, 1),
                "load": _load(),
                "trajectory": TRAJECTORY,
            }
        ),
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    grab = commands.add_parser("capture")
    grab.add_argument("--work", type=float, default=8.0)
    grab.add_argument("--out", required=True)
    grab.add_argument("--workers", type=int, default=2)
    grab.add_argument("--seconds", type=float, default=3600.0)
    grab.add_argument("--seed", type=int, default=1)
    grab.add_argument("--set", action="append", default=[])
    run = commands.add_parser("solve")
    run.add_argument("problem")
    run.add_argument("--work", type=float, default=10.0)
    run.add_argument("--seed", type=int, default=0)
    run.add_argument("--workers", type=int, default=2)
    run.add_argument("--seconds", type=float, default=100_000.0)
    run.add_argument("--gap", type=float, default=0.0)
    run.add_argument("--param", action="append", default=[])
    run.add_argument("--subsolvers", help="comma-separated: the only subsolvers CP-SAT runs")
    run.add_argument("--label", default="")
    run.add_argument(
        "--set",
        action="append",
        default=[],
        help="module.NAME=value: a module-level switch of the solver (JSON value)",
    )
    args = parser.parse_args()
    for item in args.set:
        _switch(item)
    if args.command == "capture":
        capture(args.work, args.out, args.workers, args.seconds, args.seed)
    else:
        solve(args.problem, args)


if __name__ == "__main__":
    main()
