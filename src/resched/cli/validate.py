"""``resched validate FILE [--json]``: check a schedule document against the ACGME rules.

Exit status (INTERCHANGE.md): 0 compliant (warnings allowed), 1 violations found, 2 the input
could not be read (message on stderr, never a traceback). ``-`` reads standard input.
"""

from __future__ import annotations

import json
import sys
from typing import IO, TYPE_CHECKING, Annotated, Any

import typer

from resched.core.errors import Invalid

if TYPE_CHECKING:
    from resched.core.interchange import Note

EXIT_COMPLIANT = 0
EXIT_VIOLATIONS = 1
EXIT_UNREADABLE = 2
_SHOWN_ERRORS = 20


def validate_command(
    file: Annotated[
        str, typer.Argument(help="Schedule document (resched.schedule/v1); - for stdin.")
    ],
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the resched.compliance/v1 report as JSON.")
    ] = False,
) -> None:
    """Check a schedule against the ACGME duty-hour and supervision rules."""
    raise typer.Exit(run_validate(file, json_output=json_output))


def run_validate(file: str, *, json_output: bool) -> int:
    """The command without Typer: prints the report, returns the exit status."""
    # The reader and the rules load here, not when the CLI starts (every command imports this
    # module): ``resched generate plan`` does not need them.
    from resched.core.interchange import load_document, parse_schedule_with_notes, write_report
    from resched.core.rules import ScheduleContext, check_all

    try:
        raw = read_input(file)
        parsed = parse_schedule_with_notes(load_document(raw))
        schedule = parsed.schedule
        context = ScheduleContext(schedule)
    except Invalid as exc:
        _print_invalid(exc)
        return EXIT_UNREADABLE
    except OSError as exc:
        reason = exc.strerror or str(exc)
        typer.echo(f"error: cannot read {file}: {reason}", err=True)
        return EXIT_UNREADABLE
    print_notes(parsed.notes)
    findings = check_all(context)
    report = write_report(findings, schedule.range, schedule.people, schedule.assignments)
    if json_output:
        typer.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        typer.echo(format_table(report, program=schedule.program.name))
    return EXIT_COMPLIANT if report["compliant"] else EXIT_VIOLATIONS


def print_notes(notes: tuple[Note, ...]) -> None:
    """What the reader ignored, on stderr: the report on stdout stays the pure contract."""
    for note in notes:
        typer.echo(f"note: {note}", err=True)


def read_input(file: str) -> bytes:
    """At most one byte over the limit is read, so a huge input is refused without loading it."""
    if file == "-":
        return _read_limited(sys.stdin.buffer)
    with open(file, "rb") as stream:
        return _read_limited(stream)


def _read_limited(stream: IO[bytes]) -> bytes:
    from resched.core.interchange import MAX_DOCUMENT_BYTES

    return stream.read(MAX_DOCUMENT_BYTES + 1)


def _print_invalid(exc: Invalid) -> None:
    errors = exc.details.get("errors")
    if not isinstance(errors, list) or not errors:
        typer.echo(f"error: {exc.message}", err=True)
        return
    noun = "problem" if len(errors) == 1 else "problems"
    typer.echo(f"error: the schedule document is invalid ({len(errors)} {noun}):", err=True)
    for item in errors[:_SHOWN_ERRORS]:
        typer.echo(f"  {item['path']}: {item['message']}", err=True)
    if len(errors) > _SHOWN_ERRORS or exc.details.get("truncated"):
        typer.echo(f"  ... and more (showing the first {_SHOWN_ERRORS})", err=True)


def format_table(report: dict[str, Any], *, program: str = "") -> str:
    """The report as a plain-text table: one row per finding, then a verdict line."""
    rng = report["range"]
    lines = [f"{program or 'Schedule'}: {rng['start']} to {rng['end']}"]
    findings = report["findings"]
    if findings:
        rows = [("SEVERITY", "RULE", "WHO", "DATES", "DETAIL")]
        for f in findings:
            dates = f["start"] if f["start"] == f["end"] else f"{f['start']}..{f['end']}"
            who = f.get("person") or f.get("shift", "")
            rows.append((f["severity"], f["rule"], who, dates, f["message"]))
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        lines.append("")
        for row in rows:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            lines.append("  ".join([*cells, row[4]]).rstrip())
    else:
        lines.append("No findings.")
    summary = report["summary"]
    verdict = "COMPLIANT" if report["compliant"] else "NOT COMPLIANT"
    lines.append("")
    lines.append(
        f"{verdict}: {summary['violations']} violation(s), {summary['warnings']} warning(s); "
        f"{summary['people']} people, {summary['assignments']} assignments checked."
    )
    return "\n".join(lines)
