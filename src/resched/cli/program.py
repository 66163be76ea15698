"""``resched serve`` and ``resched demo``."""

from __future__ import annotations

import contextlib
import secrets
from typing import TYPE_CHECKING, Annotated

import typer

from resched.cli.common import domain_errors_exit, load_settings, session_factory_for
from resched.cli.db import DatabaseUrl

if TYPE_CHECKING:
    from resched.settings import Settings

FIRST_ADMIN = "admin"
# Each server process builds its app with this factory (resched.main: the app, then the
# start-up objects frozen out of the garbage collector's reach).
SERVED_APP = "resched.main:create_served_app"


def serve_command(
    host: Annotated[str | None, typer.Option(help="Interface to listen on.")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="TCP port.")] = None,
    first_run: Annotated[
        bool,
        typer.Option(
            "--first-run",
            help="Migrate, and on an empty database load the demo program and an admin account.",
        ),
    ] = False,
    empty: Annotated[
        bool,
        typer.Option(
            "--empty",
            help="With --first-run: no demo; the admin sets the program up on the Setup page.",
        ),
    ] = False,
    worker: Annotated[
        bool,
        typer.Option(
            "--worker/--no-worker",
            help="Embedded mode: start a job worker with the server (ignored with a broker).",
        ),
    ] = True,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help="Web server processes (production: about one per core; jobs run elsewhere).",
        ),
    ] = 1,
) -> None:
    """Serve the web app and the API (and, without a broker, a job worker)."""
    import uvicorn

    from resched.cli.embedded_secret import ensure_embedded_secret
    from resched.db.migrate import upgrade_to_head
    from resched.settings import VAR_DIR

    settings = ensure_embedded_secret(load_settings(), VAR_DIR)
    host = host or settings.host
    port = port or settings.port
    if first_run:
        upgrade_to_head(settings.database_url)
        first_start(settings, demo=not empty)
    typer.echo(f"resched is serving http://{host}:{port}  (API docs: /api/docs; Ctrl-C stops)")
    with _job_worker(settings, worker):
        # proxy_headers=False: uvicorn would otherwise trust X-Forwarded-* from 127.0.0.1 on
        # its own; the app honours them only from RESCHED_TRUSTED_PROXIES (resched.main).
        # server_header=False: no "server: uvicorn" (uvicorn adds it after the app's
        # middleware, so only uvicorn itself can leave it out).
        uvicorn.run(
            SERVED_APP,
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_config=None,
            proxy_headers=False,
            server_header=False,
        )


def _job_worker(settings: Settings, wanted: bool) -> contextlib.AbstractContextManager[object]:
    """Embedded mode (no RESCHED_BROKER_URL): a job worker on the local broker, stopped with
    the server. With a broker, workers are separate `resched worker` processes."""
    if settings.broker_url is not None or not wanted:
        return contextlib.nullcontext()
    from resched.tasks.embedded import embedded_worker

    typer.echo("jobs run in an embedded worker (no RESCHED_BROKER_URL set; see docs/jobs.md)")
    return embedded_worker()


def demo_command(
    residents: Annotated[
        int, typer.Option(min=3, max=300, help="Residents (a multiple of 3).")
    ] = 36,
    faculty: Annotated[int, typer.Option(min=1, max=200, help="Faculty members.")] = 16,
    seed: Annotated[int, typer.Option(help="Seed for names and requests.")] = 2026,
    database_url: DatabaseUrl = None,
) -> None:
    """Load the demo program (deterministic for a seed) into an empty database."""
    from resched.db.migrate import upgrade_to_head
    from resched.services.demo import load_demo

    settings = load_settings(database_url)
    upgrade_to_head(settings.database_url)
    with domain_errors_exit(), session_factory_for(settings.database_url) as factory:
        summary = load_demo(factory=factory, residents=residents, faculty=faculty, seed=seed)
    typer.echo(summary)


def first_start(settings: Settings, *, demo: bool = True) -> None:
    """First start: the demo program on an empty database (unless ``demo`` is False: then the
    administrator sets the program up on /setup), and an admin account if none exists.

    Each step checks its own precondition, so a start interrupted between them, or two servers
    starting at once, ends in the same state as one clean first start.
    """
    from resched.core.errors import Conflict
    from resched.http.runtime import hashing_costs
    from resched.services.accounts.users import count_users, create_user
    from resched.services.demo import load_demo, program_exists

    with session_factory_for(settings.database_url) as factory:
        if demo and not program_exists(factory=factory):
            # Conflict: another process loaded it a moment ago.
            with contextlib.suppress(Conflict):
                typer.echo(f"first start: {load_demo(factory=factory)}")
        if count_users(factory=factory, role="admin"):
            return
        password = secrets.token_urlsafe(12)
        try:
            create_user(
                factory=factory,
                username=FIRST_ADMIN,
                password=password,
                role="admin",
                costs=hashing_costs(settings),
            )
        except Conflict:
            return
    typer.echo(
        "\n  An administrator account was created. This password is shown ONCE:\n"
        f"    username: {FIRST_ADMIN}\n    password: {password}\n"
    )
