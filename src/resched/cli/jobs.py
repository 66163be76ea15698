"""``resched worker``, ``resched beat`` and ``resched jobs ...`` (list, follow, cancel, reap)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Annotated

import typer

from resched.cli.common import domain_errors_exit, load_settings, session_factory_for
from resched.cli.db import DatabaseUrl

if TYPE_CHECKING:
    from resched.db.repositories.jobs import Job
    from resched.services.common import SessionFactory

jobs_app = typer.Typer(help="Background jobs: list, follow, cancel.", no_args_is_help=True)
POLL_SECONDS = 0.5
EXIT_JOB_FAILED = 1


def worker_command(
    concurrency: Annotated[
        int, typer.Option(min=1, max=64, help="Jobs this worker runs at once.")
    ] = 1,
    pool: Annotated[str, typer.Option(help="prefork, solo or threads.")] = "prefork",
    beat: Annotated[
        bool, typer.Option("--beat", help="Also run the periodic schedule (one per site).")
    ] = False,
    embedded: Annotated[
        bool, typer.Option("--embedded", help="As `resched serve` starts it.", hidden=True)
    ] = False,
    parent_pid: Annotated[int | None, typer.Option(hidden=True)] = None,
) -> None:
    """Run a job worker (any number, on any machine sharing the database and the broker)."""
    from resched.logs import configure_logging
    from resched.tasks.worker import WorkerOptions, run_worker

    settings = load_settings()
    configure_logging(level=settings.log_level, json=settings.log_json)
    if embedded:
        # One job at a time in the worker process itself, plus the periodic schedule.
        options = WorkerOptions(
            pool="solo",
            beat=True,
            parent_pid=parent_pid,
            loglevel=settings.log_level,
            embedded=True,
        )
    else:
        options = WorkerOptions(
            concurrency=concurrency, pool=pool, beat=beat, loglevel=settings.log_level
        )
    run_worker(settings, options)


def beat_command() -> None:
    """Run the periodic schedule: the reaper, the mail sender, the nightly compliance check,
    the weekly fairness report."""
    from resched.logs import configure_logging
    from resched.tasks.worker import run_beat

    settings = load_settings()
    configure_logging(level=settings.log_level, json=settings.log_json)
    run_beat(settings, loglevel=settings.log_level)


@jobs_app.command("list")
def list_command(
    limit: Annotated[int, typer.Option(min=1, max=200)] = 20, database_url: DatabaseUrl = None
) -> None:
    """The newest jobs."""
    from resched.services.jobs import list_jobs

    settings = load_settings(database_url)
    with session_factory_for(settings.database_url) as factory:
        page = list_jobs(factory=factory, limit=limit)
    for job in page.items:
        who = job.requested_by_name or "system"
        typer.echo(
            f"{job.id:>6}  {job.kind:<18} {job.status.value:<10} {job.progress:>4.0%}  "
            f"{who:<12} {job.message}"
        )


@jobs_app.command("follow")
def follow_command(job_id: int, database_url: DatabaseUrl = None) -> None:
    """Show a job's progress until it ends; exit 0 if it succeeded, 1 otherwise."""
    from resched.db.tables import JobStatus

    settings = load_settings(database_url)
    with domain_errors_exit(), session_factory_for(settings.database_url) as factory:
        job = _follow(factory, job_id)
    typer.echo(f"job {job.id} {job.status.value}: {job.message}")
    if job.status is not JobStatus.SUCCEEDED:
        raise typer.Exit(EXIT_JOB_FAILED)


def _follow(factory: SessionFactory, job_id: int) -> Job:
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn

    from resched.services.jobs import get_job

    job = get_job(factory=factory, job_id=job_id)
    columns = (TextColumn("{task.description}"), BarColumn(), TaskProgressColumn())
    with Progress(*columns, transient=False) as bar:
        task = bar.add_task(f"job {job_id} ({job.kind})", total=1.0)
        while not job.status.finished:
            bar.update(task, completed=job.progress, description=_line(job))
            time.sleep(POLL_SECONDS)
            job = get_job(factory=factory, job_id=job_id)
        bar.update(task, completed=job.progress, description=_line(job))
    return job


def _line(job: Job) -> str:
    return f"job {job.id} {job.status.value}: {job.message or job.kind}"[:80]


@jobs_app.command("cancel")
def cancel_command(job_id: int, database_url: DatabaseUrl = None) -> None:
    """Cancel a job: at once if it is queued, within about a second if it is running."""
    from resched.services.jobs import request_cancel

    settings = load_settings(database_url)
    with domain_errors_exit(), session_factory_for(settings.database_url) as factory:
        job = request_cancel(factory=factory, job_id=job_id, actor="cli")
    typer.echo(f"job {job.id}: {'cancelled' if job.status.finished else 'cancel requested'}")


@jobs_app.command("reap")
def reap_command() -> None:
    """Fail jobs whose worker was lost; re-enqueue queued jobs (beat does it every minute)."""
    from resched.tasks.app import make_jobs_app
    from resched.tasks.beat import reap

    settings = load_settings()
    typer.echo(reap(make_jobs_app(settings, with_tasks=False).runtime))
