"""The schedule kind of the import wizard: a grid workbook, a CSV of assignments or an
interchange document becomes one new DRAFT version (services/schedule_files reads, checks and
stores it; nothing published changes). The batch holds the checked preview, so apply stores
exactly what was shown; undo deletes the draft while it is still a draft and untouched."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from resched.db.repositories.schedule import ScheduleVersionRepository
from resched.io.uploads import FileKind, Upload
from resched.services.audit import ActorLike
from resched.services.imports.kind import ImportKind
from resched.services.imports.staging import CREATE, Staged, StagedRow, problem
from resched.services.imports.undoing import refuse_if_blocked
from resched.services.permissions import Permission
from resched.services.schedule_files import (
    SchedulePreview,
    delete_imported_draft,
    stage_schedule_file,
    store_schedule_preview,
)


def stage_schedule(session: Session, upload: Upload) -> Staged:
    preview = stage_schedule_file(session, upload)
    staged = Staged(notes=list(preview.notes))
    staged.problems = [
        problem(p.sheet, p.row or 0, p.column or "", "", p.message) for p in preview.problems
    ]
    if preview.start is None or preview.end is None:
        return staged
    summary = preview.summary
    findings = summary["findings"] or {}
    shown = {
        "range": f"{preview.start.isoformat()} to {preview.end.isoformat()}",
        "academic_year": preview.academic_year,
        "people": summary["people"],
        "assignments": summary["assignments"],
        "violations": findings.get("violations"),
        "warnings": findings.get("warnings"),
    }
    staged.rows.append(
        {
            "sheet": "",
            "row": "",
            "action": CREATE,
            "key": f"draft {preview.label or preview.file_name}",
            "id": None,
            "values": shown,
            # What apply stores; kept apart from ``values``, which the preview page lists.
            "preview": preview.to_json(),
        }
    )
    staged.writes = _writes(summary["assignments"])
    return staged


# A draft is one record, but apply writes its shifts: in bulk, about 16 times cheaper each
# than a person written through the people service (a year of the demo, 22,713 shifts, took
# 5.9 s at load 18; 5,000 people 21.5 s at load 24). The background-job threshold
# (batches.BACKGROUND_WRITES) counts person-sized writes, so a month stays in the request and
# a year goes to a job.
SHIFTS_PER_WRITE = 16


def _writes(shifts: int) -> int:
    return max(1, shifts // SHIFTS_PER_WRITE)


def apply_schedule(session: Session, rows: Sequence[StagedRow], actor: ActorLike) -> dict[str, Any]:
    (row,) = rows
    preview = SchedulePreview.from_json(row["preview"])
    version_id = store_schedule_preview(session, preview, actor)
    version = ScheduleVersionRepository(session).get(version_id)
    assert version is not None
    after = {"id": version_id, "revision": version.revision, "status": version.status.value}
    return {
        "created": [{"id": version_id, "after": after}],
        "updated": [],
        "writes": _writes(len(preview.assignments)),
    }


def undo_schedule(session: Session, applied: dict[str, Any], actor: ActorLike) -> None:
    """Refused while the draft was changed since (its revision moved), published or deleted."""
    (created,) = applied["created"]
    version_id = created["id"]
    version = ScheduleVersionRepository(session).get(version_id)
    if version is None:
        refuse_if_blocked([f"draft {version_id} was deleted after the import"])
    elif version.revision != created["after"]["revision"]:
        refuse_if_blocked([f"draft {version_id} was edited after the import"])
    delete_imported_draft(session, version_id, actor)  # Conflict once it is no longer a draft


SCHEDULE = ImportKind(
    name="schedule",
    title="Schedule (as a new draft)",
    permission=Permission.SCHEDULE_WRITE,
    file_kinds=frozenset({FileKind.XLSX, FileKind.CSV, FileKind.JSON}),
    columns=(),
    stage=stage_schedule,
    apply=apply_schedule,
    undo=undo_schedule,
)
