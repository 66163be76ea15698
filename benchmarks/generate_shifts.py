"""Shift scheduler figures on the demo program (prints figures; not a test).

    .venv/bin/python benchmarks/generate_shifts.py [--only block|year|large] [--plan dealt]

- block: demo blocks 1 and 5 (36 residents, 16 faculty, 28 days; block 5 holds the night the
  clocks go back): seconds to the first feasible schedule (model build included; target < 5 s)
  and the gap to the best bound at 5, 10, 30 and 60 s (target < 1 % within 60 s).
- year: the whole academic year, block by block: each block sees the published schedule of the
  27 days before it (look-back), the year-to-date fairness counts, and schedules the next
  ``--lookahead`` days from the plan (dropped from the result) so that it does not end in a way
  the next block cannot continue (night float has one free day a week, no slack for a short
  tail). Each block gets an equal share of what is left of ``--year-budget`` (and at most
  ``--year-work`` units of CP-SAT's deterministic time, if given); it prints each block's
  objective and bound (over the block's own days), gap and work, and the year's sums and gap.
  Target: the whole year feasible < 120 s. (benchmarks/generate_year.py runs the year
  through the service, as the job does.)
- large: 150 residents, 60 faculty, one block with the CLI's 27 days of look-ahead: first
  feasible (target < 30 s), the gap at 30, 60 and 120 s (target < 5 % within 120 s) and the
  peak memory (RSS) of the process.

``--block-lookahead 27`` (the default) schedules the demo block as ``resched generate shifts``
does (27 days of look-ahead from the plan); ``--block-lookahead 0`` is the block alone, as this
script measured before 2026-12. ``--staged`` searches a 27-day look-ahead in stages (from 30 s
of budget; core/solver/shifts/staged.py: ``--short-lookahead`` days first, then the
continuation); the block lines print the stages.
``--work W`` bounds each solve by W units of CP-SAT's deterministic time instead of seconds
(the figures are then the search's, not the machine load's); ``--seed`` sets CP-SAT's seed.
``--decompose`` searches the model's independent parts one at a time
(core/solver/shifts/components.py). The CLI commands that reproduce each figure are printed
with it.

Every schedule is re-checked by core.rules (``violations``). Runs on 2 workers (the machine
has 2 shared cores: repeat and report ranges). Plans: ``planner`` (default) is the annual
rotation planner's plan; if the planner finds none, or with ``--plan dealt``, residents are
dealt onto each block's places (capacities met, yearly requirements and sequences not) and
the output says so.
"""

from __future__ import annotations

import argparse
import resource
import time

from resched.core.demo import DemoProgram, build_demo
from resched.core.model import Assignment, BlockAssignment
from resched.core.solver import ProgressEvent, SolveConfig, SolveResult
from resched.core.solver.shifts import ShiftProblem, ShiftSchedule, schedule_shifts, staged
from resched.core.solver.shifts.counters import tally
from resched.core.solver.shifts.demo import dealt_plan, demo_shift_problem

WORKERS = 2
MARKS = (5, 10, 30, 60)
LARGE_MARKS = (30, 60, 120)
CLI_BLOCK = (
    "resched demo && resched generate plan && "
    "time resched generate shifts --block {number} --time-limit {seconds:g} --json"
)
CLI_LARGE = (
    "resched demo --residents 150 --faculty 60 && resched generate plan --time-limit 120 && "
    "time resched generate shifts --block 1 --time-limit {seconds:g} --json"
)


def _dealt(demo: DemoProgram) -> tuple[BlockAssignment, ...]:
    return tuple(c for b in demo.year.blocks for c in dealt_plan(demo, b.number, turn=b.number))


def _plan(demo: DemoProgram, how: str) -> tuple[BlockAssignment, ...]:
    if how == "planner":
        from resched.core.solver.plan import plan_rotations
        from resched.core.solver.plan.demo import demo_plan_problem

        started = time.monotonic()
        result = plan_rotations(
            demo_plan_problem(demo), SolveConfig(time_limit_s=20, num_workers=WORKERS)
        )
        if result.solution is not None:
            print(f"plan: the planner's ({result.status}, {time.monotonic() - started:.1f} s)")
            return result.solution.assignments
        print(f"plan: the planner found none ({result.status}); using the dealt plan")
    else:
        print("plan: dealt (capacities met; yearly requirements and sequences not)")
    return _dealt(demo)


def _load() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def _gap(event: ProgressEvent) -> float:
    assert event.objective is not None
    assert event.bound is not None
    return abs(event.objective - event.bound) / max(1.0, abs(event.objective))


GREEDY: bool | None = None  # --greedy on|off: a greedy first schedule as the hint (hint.py)
STAGED = False  # --staged: a long look-ahead searched in stages (core/solver/shifts/staged.py)
WORK: float | None = None  # --work: CP-SAT's deterministic time per solve, in place of seconds
SEED = 0  # --seed: CP-SAT's random seed


def _solve(
    case: ShiftProblem, seconds: float, decompose: bool
) -> tuple[SolveResult[ShiftSchedule], list[ProgressEvent]]:
    marks: list[ProgressEvent] = []
    result = schedule_shifts(
        case,
        SolveConfig(
            time_limit_s=seconds if WORK is None else 3600.0,
            num_workers=WORKERS,
            seed=SEED,
            parameters={} if WORK is None else {"max_deterministic_time": WORK},
        ),
        on_progress=marks.append,
        decompose=decompose,
        staged=STAGED,
        greedy=GREEDY,
    )
    return result, marks


def bench_block(
    demo: DemoProgram,
    plan: tuple[BlockAssignment, ...],
    number: int,
    seconds: float,
    *,
    ahead: int = 27,
    decompose: bool = False,
) -> None:
    case = demo_shift_problem(demo, plan, block=number, lookahead_days=ahead)
    result, marks = _solve(case, seconds, decompose)
    stats = result.statistics
    first = float(stats.get("first_solution_s", float("nan"))) + float(stats["build_s"])
    print(
        f"block {number} (look-ahead {ahead} days): build {stats['build_s']} s, first feasible "
        f"{first:.2f} s (incl. build), {stats['variables']} variables, "
        f"{stats['constraints']} constraints, deterministic time "
        f"{stats.get('work_total', stats['deterministic_time'])}"
    )
    if "staged_lookahead_days" in stats:
        steps = ", ".join(
            f"{key.removeprefix('continue_')} {value}"
            for key, value in stats.items()
            if key.startswith("continue_")
        )
        print(
            f"  staged: {stats['staged_lookahead_days']} days of look-ahead first (work "
            f"{stats.get('short_deterministic_time')}), continuations: {steps}; "
            f"{'continued' if stats.get('continued') else 'searched whole'}"
        )
    if ahead == 27:
        print(f"  through the CLI: {CLI_BLOCK.format(number=number, seconds=seconds)}")
    for at in MARKS:
        seen = [e for e in marks if e.elapsed_s <= at and e.objective is not None]
        if seen and seen[-1].bound is not None:
            last = seen[-1]
            print(
                f"  at {at:>3} s: objective {last.objective:g}, bound {last.bound:g}, "
                f"gap {_gap(last):.1%}"
            )
    gap = "-" if result.gap is None else f"{result.gap:.1%}"
    print(
        f"  end: {result.status} objective {result.objective} bound {result.best_bound} "
        f"gap {gap} violations {len(result.violations)} wall {result.wall_time:.1f} s"
    )


def bench_year(
    demo: DemoProgram,
    plan: tuple[BlockAssignment, ...],
    budget: float,
    ahead: int,
    work: float | None = None,
) -> None:
    """``work``: CP-SAT's deterministic time per block on top of the time share (figures that
    do not depend on the machine's load)."""
    started = time.monotonic()
    published: list[Assignment] = []
    ok = True
    totals = [0.0, 0.0]  # the blocks' objectives and bounds (each over the block's own days)
    blocks = demo.year.blocks
    for index, block in enumerate(blocks):
        look_from = block.start.toordinal() - 27
        before = tuple(a for a in published if a.date.toordinal() >= look_from - 2)
        ytd = tally(published, demo.shift_types, demo.year.holidays)
        case = demo_shift_problem(
            demo, plan, block=block.number, before=before, year_to_date=ytd, lookahead_days=ahead
        )
        # An equal share of what is left: a block that ends early leaves its time to the rest.
        share = max(1.0, (budget - (time.monotonic() - started)) / (len(blocks) - index))
        extra = {} if work is None else {"max_deterministic_time": work}
        config = SolveConfig(time_limit_s=share, num_workers=WORKERS, parameters=extra)
        result = schedule_shifts(case, config, staged=STAGED)
        stats = result.statistics
        staging = "continued" if stats.get("continued") else "whole"
        totals[0] += result.objective or 0
        totals[1] += result.best_bound or 0
        print(
            f"  block {block.number:>2} {block.start}..{block.end} ({staging}): {result.status} "
            f"objective {result.objective} bound {result.best_bound} gap "
            f"{'-' if result.gap is None else f'{result.gap:.1%}'}, first "
            f"{stats.get('first_solution_s', '-')} s, deterministic time "
            f"{stats.get('deterministic_time', '-')}, violations {len(result.violations)}, "
            f"{result.wall_time:.1f} s (limit {share:.1f} s)",
            flush=True,
        )
        for line in result.conflicts[:3]:
            print(f"      conflict: {line}")
        if result.solution is None or result.violations:
            ok = False
            continue
        published += result.solution.assignments
    objective, bound = totals
    gap = (objective - bound) / max(1.0, objective)
    print(
        f"year: {'feasible' if ok else 'NOT feasible'}, {len(published)} assignments, "
        f"objective {objective:g}, bound {bound:g} (sums over the blocks), gap {gap:.1%}, "
        f"{time.monotonic() - started:.1f} s"
    )


def bench_large(
    seconds: float, *, decompose: bool = False, ahead: int = 27, how: str = "dealt"
) -> None:
    demo = build_demo(residents=150, faculty=60)
    plan = _plan(demo, how)
    case = demo_shift_problem(demo, plan, block=1, lookahead_days=ahead)
    result, marks = _solve(case, seconds, decompose)
    stats = result.statistics
    first = float(stats.get("first_solution_s", float("nan"))) + float(stats["build_s"])
    print(
        f"150 residents / 60 faculty, block 1 ({how} plan, look-ahead {ahead} days): build "
        f"{stats['build_s']} s, first feasible {first:.2f} s (incl. build), "
        f"{stats['variables']} variables, {stats['constraints']} constraints"
    )
    if "greedy_s" in stats:
        complete = "complete" if stats["greedy_complete"] else "slots only"
        print(f"  greedy first schedule: {stats['greedy_s']} s, hint {complete}")
    print(f"  deterministic time {stats.get('deterministic_time')}, load {_load()}")
    print(
        f"  local bounds (core/solver/shifts/local_bounds.py): {stats.get('local_bound_total')}"
        f" from {stats.get('local_bound_added')} of {stats.get('local_bound_pieces')} pieces"
        f" (rotation weeks, weeks of supervised shifts), {stats.get('local_bound_s')} s"
    )
    for at in LARGE_MARKS:
        seen = [e for e in marks if e.elapsed_s <= at and e.objective is not None]
        if seen and seen[-1].bound is not None:
            print(f"  at {at:>3} s: objective {seen[-1].objective:g}, gap {_gap(seen[-1]):.1%}")
    gap = "-" if result.gap is None else f"{result.gap:.1%}"
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(
        f"  end: {result.status}, gap {gap}, violations {len(result.violations)}, wall "
        f"{result.wall_time:.1f} s, peak RSS {peak:.0f} MiB"
    )
    print(f"  through the CLI (the planner's plan): {CLI_LARGE.format(seconds=seconds)}")
    for line in result.conflicts[:3]:
        print(f"      conflict: {line}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", choices=("block", "year", "large"))
    parser.add_argument("--plan", choices=("dealt", "planner"), default="planner")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--year-budget", type=float, default=110.0)
    parser.add_argument("--lookahead", type=int, default=27)
    parser.add_argument(
        "--year-work",
        type=float,
        help="deterministic time per block of the year (CP-SAT's work units; the share holds too)",
    )
    parser.add_argument("--block-lookahead", type=int, default=27)
    parser.add_argument("--large-seconds", type=float, default=120.0)
    parser.add_argument("--large-lookahead", type=int, default=27)
    # The figures in docs/performance.md up to 2026-12-07 used the dealt plan.
    parser.add_argument("--large-plan", choices=("dealt", "planner"), default="dealt")
    parser.add_argument("--decompose", action="store_true")
    parser.add_argument(
        "--short-lookahead",
        type=int,
        default=staged.STAGED_LOOKAHEAD_DAYS,
        help="the staged solve's first look-ahead (core/solver/shifts/staged.py)",
    )
    parser.add_argument("--staged", action="store_true")
    parser.add_argument("--greedy", choices=("on", "off", "auto"), default="auto")
    parser.add_argument("--work", type=float, help="deterministic time per solve, not seconds")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    global STAGED, GREEDY, WORK, SEED  # switches for the whole run, set once from the command line
    STAGED = args.staged
    WORK, SEED = args.work, args.seed
    GREEDY = {"on": True, "off": False, "auto": None}[args.greedy]
    staged.STAGED_LOOKAHEAD_DAYS = args.short_lookahead
    demo = build_demo()
    plan = _plan(demo, args.plan) if args.only != "large" else ()
    if args.only in (None, "block"):
        for number in (1, 5):
            bench_block(
                demo,
                plan,
                number,
                args.seconds,
                ahead=args.block_lookahead,
                decompose=args.decompose,
            )
    if args.only in (None, "year"):
        bench_year(demo, plan, args.year_budget, args.lookahead, args.year_work)
    if args.only in (None, "large"):
        bench_large(
            args.large_seconds,
            decompose=args.decompose,
            ahead=args.large_lookahead,
            how=args.large_plan,
        )


if __name__ == "__main__":
    main()
