"""``resched export xlsx``: a rotation plan, a shift grid or a whole year as an xlsx workbook.

One of ``--plan YEAR`` (the year's plan), ``--version ID`` (a month grid, or ``--start``/
``--end``), ``--version ID --year`` (one sheet per block). Bad input (two of them, an unknown
year or version, an end before the start, an unwritable file) exits with status 2 and a
message on stderr, never a traceback.
"""

from __future__ import annotations

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
from resched.cli.exchange import DateOption
from resched.cli.output_files import write_output

if TYPE_CHECKING:
    import datetime as dt

    from resched.services.common import SessionFactory
    from resched.services.exports.common import XlsxExport


def export_xlsx(
    plan: Annotated[
        str | None,
        typer.Option("--plan", help="Academic year (label or id): its rotation plan."),
    ] = None,
    version: Annotated[
        int | None,
        typer.Option(min=1, help="Schedule version id: its shift grid (a month by default)."),
    ] = None,
    start: DateOption = None,
    end: DateOption = None,
    year: Annotated[
        bool, typer.Option("--year", help="With --version: the whole year, a sheet per block.")
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file (default: a name like the web's)."),
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Export a rotation plan, a shift grid or a whole year as an xlsx workbook."""
    first, last = parse_date("--start", start), parse_date("--end", end)
    _check_choice(plan, version, year, ranged=first is not None or last is not None)
    settings = load_settings(database_url)
    with (
        database_errors(),
        domain_errors_exit(),
        session_factory_for(settings.database_url) as factory,
    ):
        exported = _export(factory, plan, version, year, first, last)
    target = output or Path(exported.filename)
    write_output(target, exported.content)
    typer.echo(f"wrote {target}", err=True)


def _check_choice(plan: str | None, version: int | None, year: bool, *, ranged: bool) -> None:
    if (plan is None) == (version is None):
        raise fail("give one of --plan YEAR or --version ID")
    if plan is not None and (year or ranged):
        raise fail("--plan takes no --year, --start or --end")
    if year and ranged:
        raise fail("--year exports the whole year: leave out --start and --end")


def _export(
    factory: SessionFactory,
    plan: str | None,
    version: int | None,
    year: bool,
    first: dt.date | None,
    last: dt.date | None,
) -> XlsxExport:
    from resched.services.exports.plan import find_year_id, plan_xlsx
    from resched.services.exports.shift_grid import shift_grid_xlsx, year_xlsx

    if plan is not None:
        year_id = find_year_id(factory=factory, year=plan)
        return plan_xlsx(factory=factory, academic_year_id=year_id)
    assert version is not None  # _check_choice: one of the two
    if year:
        return year_xlsx(factory=factory, version_id=version)
    return shift_grid_xlsx(factory=factory, version_id=version, start=first, end=last)
