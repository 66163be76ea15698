"""``resched export interchange`` and ``resched import interchange``: stored schedules out to,
and in from, the ``resched.schedule/v1`` format (INTERCHANGE.md).

Bad input (an unreadable file, an unknown code, an unknown version, an end before the start)
exits with status 2 and the path of the offending field on stderr, never a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from resched.cli.common import (
    database_errors,
    domain_errors_exit,
    fail,
    load_settings,
    parse_date,
    session_factory_for,
)
from resched.cli.db import DatabaseUrl
from resched.cli.output_files import write_output
from resched.cli.validate import read_input

if TYPE_CHECKING:
    from resched.services.common import SessionFactory
    from resched.settings import Settings

export_app = typer.Typer(help="Write data out of the program.", no_args_is_help=True)
import_app = typer.Typer(help="Bring data into the program.", no_args_is_help=True)

DateOption = Annotated[str | None, typer.Option(help="YYYY-MM-DD", show_default=False)]


@export_app.command("interchange")
def export_interchange(
    version: Annotated[
        int | None,
        typer.Option(
            min=1, help="Schedule version id (default: the published one, else the latest)."
        ),
    ] = None,
    start: DateOption = None,
    end: DateOption = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file (default: stdout).")
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Export a stored schedule as a resched.schedule/v1 document (look-back included)."""
    from resched.services.schedules import default_schedule, export_schedule

    first, last = parse_date("--start", start), parse_date("--end", end)
    settings = load_settings(database_url)
    with (
        database_errors(),
        domain_errors_exit(),
        session_factory_for(settings.database_url) as factory,
    ):
        if version is None:
            chosen = default_schedule(factory=factory)
            if chosen is None:
                raise fail("there is no schedule to export (import or generate one first)")
            version = chosen.id
        document = export_schedule(factory=factory, version_id=version, start=first, end=last)
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if output is None:
        typer.echo(text, nl=False)
        return
    write_output(output, text.encode("utf-8"))
    typer.echo(f"wrote version {version} to {output}", err=True)


@import_app.command("interchange")
def import_interchange(
    file: Annotated[
        str, typer.Argument(help="Schedule document (resched.schedule/v1); - for stdin.")
    ],
    label: Annotated[str, typer.Option(help="Label of the new draft.")] = "",
    background: Annotated[
        bool,
        typer.Option(
            "--background",
            help="Import in a job on a worker; follow it with `resched jobs follow`.",
        ),
    ] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Import a resched.schedule/v1 document as a new draft schedule version."""
    from resched.core.interchange import load_document
    from resched.services.schedule_import import import_schedule

    try:
        raw = read_input(file)
    except OSError as exc:
        raise fail(f"cannot read {file}: {exc.strerror or exc}") from None
    settings = load_settings(database_url)
    with (
        database_errors(),
        domain_errors_exit(),
        session_factory_for(settings.database_url) as factory,
    ):
        document = load_document(raw)
        if background:
            _submit_import(settings, factory, document, label)
            return
        result = import_schedule(factory=factory, document=document, label=label)
    for note in result.notes:
        typer.echo(f"note: {note}", err=True)
    v = result.version
    typer.echo(
        f"imported draft version {v.id} ({v.label!r}, {v.academic_year_label}): "
        f"{v.assignments} assignments"
    )


def _submit_import(
    settings: Settings, factory: SessionFactory, document: dict[str, Any], label: str
) -> None:
    from resched.services.jobs import submit_job
    from resched.services.jobs.kinds import JobKind
    from resched.tasks.app import make_job_queue

    job = submit_job(
        factory=factory,
        queue=make_job_queue(settings),
        kind=JobKind.IMPORT_INTERCHANGE,
        parameters={"document": document, "label": label},
        actor="cli",
        requested_by=None,
    )
    typer.echo(f"submitted import job {job.id}; follow it with: resched jobs follow {job.id}")
