"""The program's rest between shifts (core/rest.py) on the demo: what the hard family costs the
shift solver, with it and without it (prints figures; not a test).

    .venv/bin/python benchmarks/rest.py [--blocks 1 5] [--work 20]

Per demo block (the dealt plan, 36 residents, 16 faculty, 28 days): model size (constraints),
the first feasible schedule and the objective, bound and gap after ``--work`` units of CP-SAT
deterministic time on one worker (deterministic: the same figures on a busy machine), and the
chains (core/chains.py) the schedule has. "without" builds the model exactly as before the
family (no rest policy); "with" is the program's default 10 h and allowed sequences.
"""

from __future__ import annotations

import argparse
import contextlib
import time
from unittest import mock

from resched.core.chains import chains_between
from resched.core.demo import build_demo
from resched.core.solver import ProgressEvent, SolveConfig
from resched.core.solver.shifts import build as shift_build
from resched.core.solver.shifts import schedule_shifts
from resched.core.solver.shifts.demo import dealt_plan, demo_shift_problem


def _run(block: int, work: float, rest: bool) -> None:
    demo = build_demo()
    case = demo_shift_problem(demo, dealt_plan(demo, block, turn=block), block=block)
    first: list[float] = []

    def seen(event: ProgressEvent) -> None:
        if not first and event.objective is not None:
            first.append(event.elapsed_s)

    config = SolveConfig(
        time_limit_s=900, num_workers=1, parameters={"max_deterministic_time": work}
    )
    started = time.monotonic()
    without = mock.patch.object(shift_build.RestPolicy, "of", return_value=None)
    with contextlib.nullcontext() if rest else without:
        built = shift_build.build_model(case, _weights())
        result = schedule_shifts(case, config, on_progress=seen)
    wall = time.monotonic() - started
    chains = "-"
    if result.solution is not None:
        made = result.solution.assignments
        found = chains_between(
            case.program, case.people, case.shift_types, made, case.start, case.end
        )
        chains = str(len(found))
    dtime = result.statistics.get("deterministic_time", "-")
    gap = "-" if result.gap is None else f"{result.gap:.1%}"
    found = f"{first[0]:.1f} s" if first else "-"
    print(
        f"block {block:2} {'with' if rest else 'without':7} rest: "
        f"constraints {len(built.ctx.model.proto.constraints)}, {result.status}, "
        f"objective {result.objective}, bound {result.best_bound}, gap {gap}, "
        f"deterministic time {dtime}, first schedule {found}, wall {wall:.1f} s, "
        f"chains {chains}"
    )


def _weights() -> dict[str, int]:
    from resched.core.solver.shifts import DEFAULT_WEIGHTS

    return dict(DEFAULT_WEIGHTS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--blocks", type=int, nargs="+", default=[1, 5])
    parser.add_argument("--work", type=float, default=20.0)
    args = parser.parse_args()
    with open("/proc/loadavg") as load:
        print(f"load average: {load.read().split()[:3]}")
    for block in args.blocks:
        for rest in (False, True):
            _run(block, args.work, rest)


if __name__ == "__main__":
    main()
