"""``resched export pdf compliance`` and ``resched export pdf calls``: the compliance report of
a stored version over a range (for accreditation site visits) and a month's call schedule, as
PDF files. The operator reads every version, drafts included, as a coordinator does.

Bad input (a malformed date or month, an unknown version, an end before the start, a range
over two years, a file that cannot be written) exits with status 2 and says why on stderr.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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

if TYPE_CHECKING:
    from resched.services.pdf_reports import PdfFile

pdf_app = typer.Typer(help="Write PDF documents.", no_args_is_help=True)

VersionOption = Annotated[
    int | None,
    typer.Option(min=1, help="Schedule version id (default: the published one, else the latest)."),
]
DateOption = Annotated[str | None, typer.Option(help="YYYY-MM-DD", show_default=False)]
OutputOption = Annotated[Path, typer.Option("--output", "-o", help="The PDF file to write.")]


@pdf_app.command("compliance")
def export_compliance_pdf(
    output: OutputOption,
    version: VersionOption = None,
    start: DateOption = None,
    end: DateOption = None,
    database_url: DatabaseUrl = None,
) -> None:
    """The compliance report: summary, hours per resident, every rule with its findings."""
    from resched.services.pdf_reports import compliance_report_pdf

    first, last = parse_date("--start", start), parse_date("--end", end)
    settings = load_settings(database_url)
    with (
        database_errors(),
        domain_errors_exit(),
        session_factory_for(settings.database_url) as factory,
    ):
        made = compliance_report_pdf(
            factory=factory, now=dt.datetime.now(dt.UTC), version_id=version, start=first, end=last
        )
    _write(made, output)


@pdf_app.command("calls")
def export_calls_pdf(
    output: OutputOption,
    month: Annotated[
        str | None, typer.Option(help="YYYY-MM (default: this month)", show_default=False)
    ] = None,
    version: Annotated[
        int | None,
        typer.Option(min=1, help="Schedule version id (default: the month's published one)."),
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """The month's call schedule on one landscape page, as /schedule/print shows it."""
    from resched.services.pdf_reports import call_schedule_pdf

    first = _month(month)
    settings = load_settings(database_url)
    with (
        database_errors(),
        domain_errors_exit(),
        session_factory_for(settings.database_url) as factory,
    ):
        made = call_schedule_pdf(
            factory=factory,
            now=dt.datetime.now(dt.UTC),
            month=first,
            version_id=version,
            include_drafts=True,
        )
    _write(made, output)


def _month(value: str | None) -> dt.date | None:
    if value is None:
        return None
    if len(value) == 7:  # fromisoformat alone would also take 202607
        try:
            return dt.date.fromisoformat(f"{value}-01")
        except ValueError:
            pass
    raise fail(f"--month: expected a month YYYY-MM, got {value!r}")


def _write(made: PdfFile, output: Path) -> None:
    write_output(output, made.content)
    typer.echo(f"wrote {output} ({len(made.content):,} bytes)", err=True)
