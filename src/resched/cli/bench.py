"""``resched bench curtois FILE``: solve a public benchmark instance with the solver core,
check the answer with the independent scorer, and print how it compares. No database.

Exit status: 0 a roster found and verified (or the instance proven infeasible), 1 no roster in
the time limit, 2 the file cannot be read or is malformed, 3 the scorer disagrees with the
solver (a bug in the model: said loudly).
"""

from __future__ import annotations

import json
import os
from typing import Annotated, Any

import typer

from resched.cli.common import fail

EXIT_NO_ROSTER = 1
EXIT_MISMATCH = 3

bench_app = typer.Typer(help="Public benchmarks of the solver core (no database needed).")


@bench_app.command("curtois")
def curtois_command(
    file: Annotated[str, typer.Argument(help="A Curtois & Qu instance (InstanceN.txt).")],
    time_limit: Annotated[float, typer.Option(help="Seconds of search at most.")] = 60.0,
    json_output: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    workers: Annotated[int, typer.Option(help="CP-SAT workers (0: one per available core).")] = 0,
    seed: Annotated[int, typer.Option(help="CP-SAT random seed.")] = 0,
) -> None:
    """Solve a Curtois & Qu shift scheduling instance and verify the roster."""
    if time_limit <= 0:
        raise fail("--time-limit must be positive")
    if workers < 0:
        raise fail("--workers must be 0 (every core) or more")
    outcome = run_curtois(file, time_limit=time_limit, workers=workers, seed=seed)
    if json_output:
        typer.echo(json.dumps(outcome, indent=2))
    else:
        _print_text(outcome)
    raise typer.Exit(outcome["exit"])


def run_curtois(file: str, *, time_limit: float, workers: int, seed: int) -> dict[str, Any]:
    """The command without Typer: reads, solves, scores; the result as a JSON-ready dict."""
    from resched.core.bench.curtois import ParseError, read_instance
    from resched.core.bench.curtois.known import best_known, gap_to
    from resched.core.bench.curtois.score import score_roster
    from resched.core.solver.config import SolveConfig, available_cores
    from resched.core.solver.curtois.solve import solve_instance
    from resched.core.solver.result import SolveStatus

    try:
        instance = read_instance(file)
    except ParseError as exc:
        raise fail(f"{file}: {exc.message}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(f"cannot read {file}: {getattr(exc, 'strerror', None) or exc}") from None
    config = SolveConfig(
        time_limit_s=time_limit, num_workers=workers or available_cores(), seed=seed
    )
    result = solve_instance(instance, config)
    best = best_known(file)
    outcome: dict[str, Any] = {
        "instance": os.path.basename(file),
        "objective": result.objective,
        "bound": result.bound,
        "status": str(result.status),
        "seconds": round(result.seconds, 3),
        "best_known": best.objective if best else None,
        "gap": gap_to(result.objective, best),
        "deterministic_time": result.statistics.get("deterministic_time"),
        "workers": config.num_workers,
    }
    if result.roster is None:
        outcome["verified"] = None
        infeasible = result.status is SolveStatus.INFEASIBLE
        outcome["exit"] = 0 if infeasible else EXIT_NO_ROSTER
        return outcome
    score = score_roster(instance, result.roster)
    outcome["scorer"] = {"objective": score.objective, "violations": list(score.violations)}
    outcome["verified"] = score.feasible and score.objective == result.objective
    outcome["exit"] = 0 if outcome["verified"] else EXIT_MISMATCH
    return outcome


def _print_text(outcome: dict[str, Any]) -> None:
    gap = outcome["gap"]
    best = outcome["best_known"]
    typer.echo(f"instance   {outcome['instance']}")
    typer.echo(f"objective  {outcome['objective']}")
    typer.echo(f"bound      {outcome['bound']}")
    typer.echo(f"status     {outcome['status']}")
    typer.echo(f"seconds    {outcome['seconds']:.2f} ({outcome['workers']} workers)")
    if best is not None:
        shown = "-" if gap is None else f"{gap:+.2%}"
        typer.echo(f"best known {best} (gap {shown})")
    scorer = outcome.get("scorer")
    if scorer is None:
        typer.echo("scorer     no roster to check")
    elif outcome["verified"]:
        typer.echo(f"scorer     agrees: objective {scorer['objective']}, no hard rule broken")
    else:
        typer.echo(
            f"MISMATCH: the scorer finds objective {scorer['objective']} where the solver "
            f"reports {outcome['objective']}",
            err=True,
        )
        for violation in scorer["violations"]:
            typer.echo(f"  violation: {violation}", err=True)
