"""``resched program year create | list``: academic years with their blocks and holidays.

Bad input (a gap between explicit blocks, a year overlapping another, an unknown scheme) exits
with status 2 and names the option; changes are audited as the operating-system user.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

import typer

from resched.cli.common import database, domain_errors_exit, fail, operator, parse_date
from resched.cli.db import DatabaseUrl

program_app = typer.Typer(
    help="The program: academic years and their blocks.", no_args_is_help=True
)
year_app = typer.Typer(help="Academic years.", no_args_is_help=True)
program_app.add_typer(year_app, name="year")

# The service's field names, as the options a user typed.
OPTION_OF_FIELD = {
    "label": "--label",
    "start": "--start",
    "end": "--end",
    "scheme.blocks": "--blocks",
    "us_federal_holidays": "--us-holidays",
}


class Scheme(StrEnum):
    FOUR_WEEKS = "four-weeks"
    CALENDAR_MONTHS = "calendar-months"
    EXPLICIT = "explicit"


def _span(text: str) -> tuple[str, str]:
    start, sep, end = text.partition(":")
    if not sep:
        raise fail(f"--block: expected START:END (YYYY-MM-DD:YYYY-MM-DD), got {text!r}")
    return start, end


def _day(option: str, text: str) -> dt.date:
    day = parse_date(option, text)
    assert day is not None  # parse_date answers None only for None
    return day


def _option(field: str) -> str:
    if field.startswith("scheme.blocks["):
        return f"--block {int(field.split('[')[1].split(']')[0]) + 1}"
    if field.startswith("holidays["):
        return f"--holiday {int(field.split('[')[1].split(']')[0]) + 1}"
    return OPTION_OF_FIELD.get(field, field)


@year_app.command("create")
def create_command(
    label: Annotated[str, typer.Option(help="The year's label, e.g. 2027-28.")],
    start: Annotated[str, typer.Option(help="First day, YYYY-MM-DD.")],
    end: Annotated[
        str | None, typer.Option(help="Last day (default: the day before START a year later).")
    ] = None,
    scheme: Annotated[Scheme, typer.Option(help="How the year is cut into blocks.")] = (
        Scheme.FOUR_WEEKS
    ),
    blocks: Annotated[
        int,
        typer.Option(
            min=1,
            max=60,
            help="four-weeks: how many blocks (the last one ends on the year's last day).",
        ),
    ] = 13,
    block: Annotated[
        list[str] | None,
        typer.Option(help="explicit: one block START:END, repeated in order."),
    ] = None,
    holiday: Annotated[
        list[str] | None, typer.Option(help="A holiday YYYY-MM-DD, repeatable.")
    ] = None,
    us_holidays: Annotated[
        bool, typer.Option("--us-holidays", help="Add the observed US federal holidays.")
    ] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Create an academic year with its blocks and holidays."""
    from resched.core.errors import Invalid
    from resched.core.model import BlockScheme, BlockSchemeKind, Holiday
    from resched.services.academic_years import create_academic_year

    first = _day("--start", start)
    spans = tuple((_day("--block", s), _day("--block", e)) for s, e in map(_span, block or []))
    kind = {
        Scheme.FOUR_WEEKS: BlockSchemeKind.FOUR_WEEK,
        Scheme.CALENDAR_MONTHS: BlockSchemeKind.MONTHLY,
        Scheme.EXPLICIT: BlockSchemeKind.CUSTOM,
    }[scheme]
    holidays = [Holiday(day=_day("--holiday", day)) for day in holiday or []]
    with domain_errors_exit(), database(database_url) as factory:
        try:
            year = create_academic_year(
                factory=factory,
                label=label,
                start=first,
                end=parse_date("--end", end),
                scheme=BlockScheme(kind, block_count=blocks, spans=spans),
                holidays=holidays,
                us_federal_holidays=us_holidays,
                actor=operator(),
            )
        except Invalid as exc:
            raise fail(f"{_option(str(exc.details.get('field', '')))}: {exc.message}") from None
    typer.echo(
        f"academic year {year.label}: {year.start}..{year.end}, {len(year.blocks)} blocks, "
        f"{len(year.holidays)} holidays"
    )


@year_app.command("list")
def list_command(database_url: DatabaseUrl = None) -> None:
    """The academic years with their blocks and holidays."""
    from resched.services.academic_years import list_academic_years

    with domain_errors_exit(), database(database_url) as factory:
        years = list_academic_years(factory=factory)
    if not years:
        typer.echo("no academic years yet: `resched program year create --help`")
    for year in years:
        typer.echo(f"{year.label}  {year.start}..{year.end}  {year.scheme.value}")
        for b in year.blocks:
            typer.echo(f"  {b.number:>3}  {b.start}..{b.end}  {b.days:>3} days  {b.name}")
        typer.echo(f"  holidays: {', '.join(d.isoformat() for d in year.holidays) or 'none'}")
