"""``resched generate plan|shifts|year`` and ``resched publish``: schedules from the solver, stored
as drafts, published on request.

Exit status: 0 a draft was stored (and published with ``--publish``); 1 nothing usable came out
(infeasible, with the explanation; no schedule within the time limit) or the draft has
violations and ``--publish`` was refused; 2 bad input (unknown year or block, an end before the
start, a draft that cannot be published); 130 cancelled with Ctrl-C.
"""

from __future__ import annotations

import getpass
import json
from typing import TYPE_CHECKING, Annotated, Any

import typer

from resched.cli.common import database, domain_errors_exit, fail, parse_date
from resched.cli.db import DatabaseUrl

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from resched.services.generation import GenerationOutcome, GenerationRequest, Limits

EXIT_STORED = 0
EXIT_NOTHING_USABLE = 1
EXIT_CANCELLED = 130  # the shell's code for a run stopped by Ctrl-C

generate_app = typer.Typer(help="Generate schedules with the solver.", no_args_is_help=True)

TimeLimit = Annotated[
    float, typer.Option("--time-limit", min=0.1, max=3600, help="Seconds the solver may search.")
]
Seed = Annotated[int, typer.Option(min=0, help="Random seed: the same seed, the same search.")]
Workers = Annotated[int, typer.Option(min=0, help="Solver threads (0: every core).")]
Publish = Annotated[bool, typer.Option("--publish", help="Publish the draft if it is clean.")]
JsonOutput = Annotated[
    bool,
    typer.Option("--json", help="Print status, objective, bound, gap, seconds and findings."),
]
Year = Annotated[
    str | None,
    typer.Option(help="Academic year: its label (2026-27) or first year (2026); default: now."),
]


@generate_app.command("plan")
def generate_plan(
    year: Year = None,
    time_limit: TimeLimit = 30.0,
    seed: Seed = 0,
    workers: Workers = 0,
    publish: Publish = False,
    json_output: JsonOutput = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Generate the annual rotation plan of an academic year as a new draft."""
    from resched.services.generation import GenerationKind, GenerationRequest

    limits = _limits(time_limit, seed, workers)
    request = GenerationRequest(GenerationKind.PLAN, limits, year)
    _generate(database_url, request, publish=publish, json_output=json_output)


@generate_app.command("shifts")
def generate_shifts(
    block: Annotated[int | None, typer.Option(min=0, help="A block number of the year.")] = None,
    start: Annotated[str | None, typer.Option(help="First day, YYYY-MM-DD.")] = None,
    end: Annotated[str | None, typer.Option(help="Last day, YYYY-MM-DD.")] = None,
    year: Year = None,
    mode: Annotated[
        str, typer.Option(help="fresh, repair (change as little as possible) or warm.")
    ] = "fresh",
    time_limit: TimeLimit = 30.0,
    seed: Seed = 0,
    workers: Workers = 0,
    publish: Publish = False,
    json_output: JsonOutput = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Generate the shifts of a block (--block N) or a range (--start, --end) as a new draft."""
    from resched.core.solver.shifts import Mode
    from resched.services.generation import GenerationKind, GenerationRequest

    if (block is None) == (start is None and end is None):
        raise fail("give --block N, or --start and --end")
    if mode not in {m.value for m in Mode}:
        raise fail(f"--mode: expected fresh, repair or warm, got {mode!r}")
    request = GenerationRequest(
        GenerationKind.SHIFTS,
        _limits(time_limit, seed, workers),
        year,
        block=block,
        start=parse_date("--start", start),
        end=parse_date("--end", end),
        mode=Mode(mode),
    )
    _generate(database_url, request, publish=publish, json_output=json_output)


@generate_app.command("year")
def generate_year(
    year: Year = None,
    time_limit: Annotated[
        float,
        typer.Option(
            "--time-limit", min=1, max=3600, help="Seconds for the whole year, all blocks."
        ),
    ] = 600.0,
    seed: Seed = 0,
    workers: Workers = 0,
    publish: Publish = False,
    json_output: JsonOutput = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Generate the shifts of every block of an academic year, block after block (each sees
    the blocks before it), as one new draft; prints each block's status and gap."""
    from resched.services.generation import GenerationKind, GenerationRequest

    request = GenerationRequest(GenerationKind.YEAR, _limits(time_limit, seed, workers), year)
    _generate(database_url, request, publish=publish, json_output=json_output)


def publish_command(
    version: Annotated[int, typer.Argument(min=1, help="The draft's version id.")],
    reason: Annotated[
        str | None, typer.Option(help="Why; required when the draft has violations.")
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Publish a draft: validated first; the year's published version is archived."""
    from resched.services.generation import publish_version

    with database(database_url) as factory, domain_errors_exit():
        result = publish_version(factory=factory, version_id=version, actor=_actor(), reason=reason)
    typer.echo(_published_line(result.version.id, result.archived_id, result.violations))


def _generate(
    database_url: str | None, request: GenerationRequest, *, publish: bool, json_output: bool
) -> None:
    """Check ``request`` (exit 2 for bad input), solve it with a progress bar, store the draft
    and publish it if asked and clean; exits with the status the module docstring lists."""
    with database(database_url) as factory:
        with domain_errors_exit():
            outcome = _solve(factory, request, show=not json_output)
        _report(factory, outcome, publish=publish, json_output=json_output)


def _solve(
    factory: sessionmaker[Session], request: GenerationRequest, *, show: bool
) -> GenerationOutcome:
    from resched.cli.progress import run_with_progress
    from resched.services.generation import make_spec

    spec = make_spec(factory=factory, request=request)
    return run_with_progress(factory, spec, actor=_actor(), show=show)


def _report(
    factory: sessionmaker[Session], outcome: GenerationOutcome, *, publish: bool, json_output: bool
) -> None:
    from resched.core.solver import SolveStatus

    published: int | None = None
    code = EXIT_STORED if outcome.stored else EXIT_NOTHING_USABLE
    if outcome.status is SolveStatus.CANCELLED:
        code = EXIT_CANCELLED
    if publish and outcome.version_id is not None:
        if outcome.violations:
            code = EXIT_NOTHING_USABLE
        else:
            published = _publish_clean(factory, outcome.version_id)
    if json_output:
        typer.echo(json.dumps(outcome_json(outcome, published), indent=2, ensure_ascii=False))
    else:
        _print_summary(outcome, published, publish)
    raise typer.Exit(code)


def _publish_clean(factory: sessionmaker[Session], version_id: int) -> int:
    from resched.services.generation import publish_version

    with domain_errors_exit():
        result = publish_version(factory=factory, version_id=version_id, actor=_actor())
    return result.version.id


def outcome_json(outcome: GenerationOutcome, published: int | None = None) -> dict[str, Any]:
    """What ``--json`` prints (docs/user-guide.md lists the fields)."""
    return {
        "status": outcome.status.value,
        "objective": outcome.objective,
        "bound": outcome.best_bound,
        "gap": outcome.gap,
        "seconds": round(outcome.seconds, 3),
        "version_id": outcome.version_id,
        "published": published is not None,
        "message": outcome.message,
        "conflicts": list(outcome.conflicts),
        "findings": [
            {
                "severity": f.severity,
                "rule": f.rule,
                "message": f.message,
                "start": f.start.isoformat() if f.start else None,
                "end": f.end.isoformat() if f.end else None,
            }
            for f in outcome.findings
        ],
        "penalties": [
            {"name": p.name, "cost": p.cost, "explanation": p.explanation}
            for p in outcome.penalties
        ],
        "fairness": None if outcome.fairness is None else dict(outcome.fairness),
        # Chained shifts (less than the program's minimum rest, night float left without a
        # free day); null where not reported (a rotation plan).
        "chains": None
        if outcome.chains is None
        else [
            {
                "rule": c.rule,
                "person_id": c.person_id,
                "message": c.message,
                "gap_hours": c.gap_hours,
            }
            for c in outcome.chains
        ],
        # A whole year's blocks (empty otherwise): the same figures per block.
        "blocks": [b.json() for b in outcome.blocks],
    }


def _figures(
    head: str, objective: float | None, bound: float | None, gap: float | None, seconds: float
) -> str:
    figures = [head]
    if objective is not None:
        figures.append(f"objective {objective:g}")
    if bound is not None:
        figures.append(f"bound {bound:g}")
    if gap is not None:
        figures.append(f"gap {gap:.1%}")
    figures.append(f"{seconds:.1f} s")
    return ", ".join(figures)


def _print_summary(outcome: GenerationOutcome, published: int | None, asked: bool) -> None:
    o = outcome
    typer.echo(_figures(f"status {o.status.value}", o.objective, o.best_bound, o.gap, o.seconds))
    for b in outcome.blocks:
        head = f"  block {b.number:>2} {b.start}..{b.end}: {b.status.value}"
        typer.echo(_figures(head, b.objective, b.bound, b.gap, b.seconds))
    typer.echo(outcome.message)
    for line in outcome.conflicts:
        typer.echo(f"  conflict: {line}")
    for finding in outcome.findings:
        typer.echo(f"  {finding.severity}: {finding.rule}: {finding.message}")
    if outcome.chains is not None:
        typer.echo(f"chained shifts: {len(outcome.chains)}")
        for chain in outcome.chains:
            typer.echo(f"  chain: {chain.message}")
    if outcome.version_id is not None:
        typer.echo(f"draft version {outcome.version_id}; {len(outcome.penalties)} penalties")
    if published is not None:
        typer.echo(f"published version {published}")
    elif asked and outcome.violations:
        typer.echo(
            f"not published: review it, then `resched publish {outcome.version_id} --reason ...`"
        )


def _published_line(version_id: int, archived: int | None, violations: int) -> str:
    text = f"published version {version_id}"
    if archived is not None:
        text += f"; archived version {archived}"
    if violations:
        text += f" (with {violations} violation(s), reason recorded)"
    return text


def _limits(time_limit: float, seed: int, workers: int) -> Limits:
    from resched.services.generation import Limits

    return Limits(time_limit_s=time_limit, seed=seed, num_workers=workers)


def _actor() -> str:
    """Who ran the command, for the audit trail: the operating-system user."""
    try:
        return f"cli:{getpass.getuser()}"
    except OSError:  # no user name in the environment (some containers)
        return "cli"
