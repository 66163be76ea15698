"""``resched import schedule FILE``: a schedule from a grid workbook (xlsx), a CSV of
assignments or an interchange document (JSON), detected from the content, stored as a new
draft version; ``--dry-run`` previews without writing. A file with problems exits 2 and lists
each by sheet, row and column on stderr (or in the ``--json`` answer)."""

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
    operator,
    session_factory_for,
)
from resched.cli.db import DatabaseUrl

if TYPE_CHECKING:
    from resched.services.schedule_files import SchedulePreview

EXIT_PROBLEMS = 2


def import_schedule_file(
    file: Annotated[str, typer.Argument(help="xlsx grid workbook, CSV or interchange JSON.")],
    label: Annotated[str, typer.Option(help="Label of the new draft.")] = "",
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check and summarise; write nothing.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Answer in JSON on stdout.")] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Import a schedule file as a new draft schedule version (exit 2 on any problem)."""
    from resched.io.uploads import MAX_UPLOAD_BYTES, FileKind, check_upload
    from resched.services.schedule_files import apply_schedule_file, preview_schedule_file

    try:
        with open(file, "rb") as stream:
            data = stream.read(MAX_UPLOAD_BYTES + 1)
    except OSError as exc:
        raise fail(f"cannot read {file}: {exc.strerror or exc}") from None
    settings = load_settings(database_url)
    with (
        database_errors(),
        domain_errors_exit(),
        session_factory_for(settings.database_url) as factory,
    ):
        upload = check_upload(filename=Path(file).name, data=data, allowed=tuple(FileKind))
        preview = preview_schedule_file(factory=factory, upload=upload, label=label)
        if preview.problems:
            _report_problems(preview, as_json)
            raise typer.Exit(EXIT_PROBLEMS)
        version_id = None
        if not dry_run:
            version_id = apply_schedule_file(factory=factory, preview=preview, actor=operator())
    _report(preview, version_id, as_json)


def _report_problems(preview: SchedulePreview, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(_answer(preview, None), indent=2))
        return
    for problem in preview.problems:
        typer.echo(f"error: {problem}", err=True)
    typer.echo(f"{preview.file_name}: {len(preview.problems)} problems; nothing imported", err=True)


def _report(preview: SchedulePreview, version_id: int | None, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(_answer(preview, version_id), indent=2))
        return
    for note in preview.notes:
        typer.echo(f"note: {note}", err=True)
    s = preview.summary
    what = (
        f"{s['assignments']} assignments of {s['people']} people, {s['start']} to {s['end']} "
        f"({s['academic_year']})"
    )
    findings = preview.findings or {}
    checked = (
        f"; {findings.get('violations', 0)} violations, {findings.get('warnings', 0)} warnings"
    )
    if version_id is None:
        typer.echo(f"dry run: {preview.file_name} would import {what}{checked}; nothing written")
    else:
        typer.echo(f"imported draft version {version_id} ({preview.label!r}): {what}{checked}")


def _answer(preview: SchedulePreview, version_id: int | None) -> dict[str, Any]:
    return {
        "version_id": version_id,
        "label": preview.label,
        "summary": preview.summary,
        "problems": preview.to_json()["problems"],
        "notes": list(preview.notes),
    }
