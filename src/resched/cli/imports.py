"""``resched import people|rotations|absences FILE [--apply] [--json]`` and
``resched import undo BATCH_ID``: the import wizard's steps from the command line.

The preview is printed (creates, updates with before -> after, problems by sheet, row and
column); with ``--apply`` a preview free of problems is applied at once. A refused file, a
preview with problems, or a refused apply or undo exits with status 2.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from resched.cli.common import EXIT_BAD_INPUT, database, domain_errors_exit, fail, operator
from resched.cli.db import DatabaseUrl

if TYPE_CHECKING:
    from resched.db.repositories.imports import ImportBatch

TABLE_KINDS = ("people", "rotations", "absences")
ApplyOption = Annotated[
    bool, typer.Option("--apply", help="Apply the import when the preview has no problems.")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the batch as JSON.")]
FileArgument = Annotated[Path, typer.Argument(help="An .xlsx, .csv or .json file (at most 10 MB).")]


def _run(kind: str, file: Path, apply: bool, as_json: bool, database_url: str | None) -> None:
    from resched.io.uploads import MAX_UPLOAD_BYTES
    from resched.services.imports import batches

    try:
        with file.open("rb") as handle:
            data = handle.read(MAX_UPLOAD_BYTES + 1)
    except OSError as exc:
        raise fail(f"cannot read {file}: {exc.strerror or exc}") from None
    with database(database_url) as factory, domain_errors_exit():
        batch = batches.preview_import(
            factory=factory, kind=kind, filename=file.name, data=data, actor=operator()
        )
        if apply and not batch.problems:
            batch = batches.apply_import(factory=factory, batch_id=batch.id, actor=operator())
    _print(batch, as_json)
    if batch.problems:
        raise typer.Exit(EXIT_BAD_INPUT)


def people_command(
    file: FileArgument,
    apply: ApplyOption = False,
    as_json: JsonOption = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Preview (and with --apply, apply) an import of people, matched by code."""
    _run("people", file, apply, as_json, database_url)


def rotations_command(
    file: FileArgument,
    apply: ApplyOption = False,
    as_json: JsonOption = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Preview (and with --apply, apply) an import of rotations, matched by code."""
    _run("rotations", file, apply, as_json, database_url)


def absences_command(
    file: FileArgument,
    apply: ApplyOption = False,
    as_json: JsonOption = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Preview (and with --apply, apply) an import of absences."""
    _run("absences", file, apply, as_json, database_url)


def undo_command(
    batch_id: Annotated[int, typer.Argument(help="The import's number.", min=1)],
    as_json: JsonOption = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Undo a whole applied import (refused, naming what blocks it, if anything depends on it)."""
    from resched.core.errors import Conflict
    from resched.services.imports import batches

    with database(database_url) as factory, domain_errors_exit():
        try:
            batch = batches.undo_import(factory=factory, batch_id=batch_id, actor=operator())
        except Conflict as exc:
            for blocker in exc.details.get("blocked_by", []):
                typer.echo(f"  blocked by: {blocker}", err=True)
            raise
    _print(batch, as_json)


def _print(batch: ImportBatch, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(_as_json(batch), indent=2, default=str))
        return
    s = batch.summary
    typer.echo(
        f"import {batch.id} ({batch.kind} from {batch.file_name}): {batch.status.value}; "
        f"{s['create']} to create, {s['update']} to change, {s['unchanged']} unchanged, "
        f"{s['problems']} problem(s)"
    )
    for note in s.get("notes", []):
        typer.echo(f"note: {note}", err=True)
    for row in batch.rows or []:
        if row["action"] == "create":
            typer.echo(f"  create  row {row['row']}: {row['key']}")
        elif row["action"] == "update":
            changed = "; ".join(
                f"{c['field']}: {c['before']!r} -> {c['after']!r}" for c in row["changes"]
            )
            typer.echo(f"  update  row {row['row']}: {row['key']} ({changed})")
    for p in batch.problems:
        where = f"sheet {p['sheet']}, row {p['row']}" + (
            f", column {p['column']}" if p["column"] else ""
        )
        typer.echo(f"problem: {where}: {p['message']}", err=True)


def _as_json(batch: ImportBatch) -> dict[str, Any]:
    return {
        "id": batch.id,
        "kind": batch.kind,
        "file_name": batch.file_name,
        "file_kind": batch.file_kind,
        "status": batch.status.value,
        "summary": batch.summary,
        "problems": batch.problems,
        "changes": [
            {k: v for k, v in row.items() if k != "before"}
            for row in batch.rows or []
            if row["action"] != "unchanged"
        ],
    }
