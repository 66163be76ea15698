"""``resched program year next --from 2026-27 [--incoming class.csv] [--dry-run]``: start the
academic year after another one (the same blocks, residents one PGY level up, the final year
finished, the incoming class added), or with ``--dry-run`` only say what that would do.

Bad input (a CSV row with a PGY the program does not have, a code taken, an email twice)
exits with status 2 naming the option - and for the CSV file its row and column; nothing is
written. A next year that exists already also exits 2. Audited as the operating-system user.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from resched.cli.common import database, domain_errors_exit, fail, operator, parse_date
from resched.cli.db import DatabaseUrl

if TYPE_CHECKING:
    from resched.core.errors import Invalid
    from resched.core.model import AcademicYear
    from resched.services.rollover import NextYearPlan

OPTION_OF_FIELD = {
    "label": "--label",
    "start": "--start",
    "final_pgy": "--final-pgy",
    "us_federal_holidays": "--us-holidays",
}


def _option(exc: Invalid, incoming: Path | None) -> str:
    field = str(exc.details.get("field", ""))
    if field == "incoming_csv":
        return f"--incoming {incoming}"
    if field.startswith("leaving["):
        return "--leaving"
    return OPTION_OF_FIELD.get(field, field)


def _find_year(years: list[AcademicYear], wanted: str) -> AcademicYear:
    """A year by its label (2026-27) or the calendar year it starts in (2026)."""
    for year in years:
        if wanted in (year.label, str(year.start.year)):
            return year
    labels = ", ".join(y.label for y in years) or "none yet"
    raise fail(f"--from: no academic year {wanted!r} (years: {labels})")


def _read_csv(path: Path | None) -> str:
    if path is None:
        return ""
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(f"--incoming: cannot read {path}: {exc}") from None


def _describe(plan: NextYearPlan, *, dry_run: bool) -> list[str]:
    p, y = plan.promotions, plan.year
    head = "would start" if dry_run else "started"
    lines = [
        f"{head} academic year {y.label}: {y.start}..{y.end}, {len(y.blocks)} blocks, "
        f"{len(plan.holidays)} holidays (after {plan.from_year.label})",
        f"promoted {len(p.promoted)}, graduated {len(p.graduating)} (PGY-{plan.final_pgy}), "
        f"leaving {len(p.leaving)}, incoming {len(plan.incoming)}, faculty {plan.faculty}",
    ]
    lines += [f"  {x.code}: PGY-{x.pgy} -> PGY-{x.next_pgy}" for x in p.promoted]
    lines += [f"  {x.code}: PGY-{x.pgy}, finishes" for x in p.graduating]
    lines += [f"  {x.code}: PGY-{x.pgy}, leaves" for x in p.leaving]
    lines += [f"  {x.code}: new, PGY-{x.pgy}" for x in plan.incoming]
    lines += [
        f"note: coverage rule {n!r} has dates of {plan.from_year.label} only"
        for n in plan.dated_coverage
    ]
    return lines


def next_command(
    from_year: Annotated[
        str, typer.Option("--from", help="The year to follow: its label (2026-27) or start year.")
    ],
    incoming: Annotated[
        Path | None,
        typer.Option(help="CSV of the incoming class: code,name,email,pgy (a header allowed)."),
    ] = None,
    leaving: Annotated[
        list[str] | None, typer.Option(help="A resident who does not continue, repeatable.")
    ] = None,
    label: Annotated[str | None, typer.Option(help="Label (default from the dates).")] = None,
    start: Annotated[
        str | None, typer.Option(help="First day (default: the day after --from ends).")
    ] = None,
    final_pgy: Annotated[
        int | None, typer.Option(min=1, max=10, help="The program's last PGY level.")
    ] = None,
    us_holidays: Annotated[
        bool | None,
        typer.Option(
            "--us-holidays/--no-us-holidays",
            help="US federal holidays (default: if the year before has its own).",
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only say what would happen.")] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Start the academic year after --from: promote, graduate, take the incoming class."""
    from resched.core.errors import Invalid
    from resched.services.academic_years import list_academic_years
    from resched.services.rollover import NextYearRequest, preview_next_year, start_next_year

    request = NextYearRequest(
        label=label,
        start=parse_date("--start", start),
        us_federal_holidays=us_holidays,
        incoming_csv=_read_csv(incoming),
        leaving=tuple(leaving or ()),
        final_pgy=final_pgy,
    )
    with domain_errors_exit(), database(database_url) as factory:
        old = _find_year(list_academic_years(factory=factory), from_year)
        assert old.id is not None
        try:
            if dry_run:
                plan = preview_next_year(factory=factory, from_year_id=old.id, request=request)
            else:
                plan = start_next_year(
                    factory=factory, from_year_id=old.id, request=request, actor=operator()
                )
        except Invalid as exc:
            raise fail(f"{_option(exc, incoming)}: {exc.message}") from None
    for line in _describe(plan, dry_run=dry_run):
        typer.echo(line)
