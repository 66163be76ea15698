"""Importing a schedule file (grid xlsx, CSV of assignments, interchange JSON) as a new DRAFT
version: preview (read and check, write nothing), apply (store exactly what was previewed, in
one audited transaction, through the interchange import's ``store_draft``) and undo (delete
that draft while it is still a draft).

Each step exists at two levels: inside the caller's session (``stage_schedule_file``,
``store_schedule_preview``, ``delete_imported_draft``: for an import wizard that keeps its
own batch in the same transaction) and as a service owning its transaction
(``preview_schedule_file``, ``apply_schedule_file``, ``undo_schedule_import``).
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session

from resched.core.errors import Conflict, NotFound
from resched.core.model import AcademicYear, Assignment, ScheduleStatus
from resched.core.rules import DateRange
from resched.core.schedule_files import KnownCodes, Problem
from resched.db.repositories import AcademicYearRepository, PeopleRepository, ShiftTypeRepository
from resched.db.repositories.schedule import ScheduleVersionRepository
from resched.db.tables import AuditEventRow, ScheduleVersionRow, ShiftAssignmentRow
from resched.io.uploads import Upload
from resched.services.audit import ActorLike, record
from resched.services.common import SessionFactory, read, write
from resched.services.schedule_files.findings import count_findings
from resched.services.schedule_files.preview import SchedulePreview, problems_error
from resched.services.schedule_files.reading import read_file
from resched.services.schedule_import import ACTION, draft_label, store_draft
from resched.services.schedules import ENTITY

UNDO_ACTION = "import.undo"


def preview_schedule_file(
    *, factory: SessionFactory, upload: Upload, label: str = ""
) -> SchedulePreview:
    """Read and check ``upload`` against the program; nothing is written. Problems (unknown
    codes, bad headers, a range outside every academic year, a plan workbook...) are in the
    preview, not raised; Invalid (path ``label``) only for a label over 120 characters (and
    from the upload foundation for a file that cannot be read at all)."""
    with read(factory) as session:
        return stage_schedule_file(session, upload, label)


def apply_schedule_file(
    *, factory: SessionFactory, preview: SchedulePreview, actor: ActorLike
) -> int:
    """Store the previewed assignments as a new draft version (audited ``import``); its id.
    Invalid (``details["problems"]`` as in the preview) when the preview has problems, or
    when the program changed since so that a code or the range no longer fits."""
    with write(factory) as session:
        return store_schedule_preview(session, preview, actor)


def undo_schedule_import(*, factory: SessionFactory, version_id: int, actor: ActorLike) -> None:
    """Delete an imported draft, audited ``import.undo`` with the version before. NotFound
    for an unknown version; Conflict once it has been published (it is the record then) or
    archived, and for a version no import created."""
    with write(factory) as session:
        delete_imported_draft(session, version_id, actor)


def stage_schedule_file(session: Session, upload: Upload, label: str = "") -> SchedulePreview:
    """``preview_schedule_file`` inside the caller's session (it only reads)."""
    parsed, notes = read_file(upload, _known_codes(session))
    problems = list(parsed.problems)
    year, findings = None, None
    if parsed.start is not None and parsed.end is not None:
        rng = DateRange(parsed.start, parsed.end)
        label = draft_label(label, rng)
        year = _year_holding(session, rng, problems)
        if year is not None and not problems:
            findings = count_findings(session, year, rng, parsed.assignments)
    return SchedulePreview(
        file_name=upload.name,
        kind=upload.kind.value,
        label=label.strip(),
        start=parsed.start,
        end=parsed.end,
        academic_year=year.label if year else "",
        assignments=parsed.assignments,
        problems=tuple(problems),
        notes=(*upload.notes, *notes),
        findings=findings,
    )


def store_schedule_preview(session: Session, preview: SchedulePreview, actor: ActorLike) -> int:
    """``apply_schedule_file`` in the caller's transaction (nothing written when it raises)."""
    if preview.problems:
        raise problems_error(preview.problems)
    if preview.start is None or preview.end is None:
        raise problems_error([Problem(preview.file_name, None, "", "the file holds no days")])
    if len(set(preview.assignments)) != len(preview.assignments):
        # Only a preview that did not come from the readers (they refuse repeats) has them.
        raise problems_error([Problem(preview.file_name, None, "", "repeated assignments")])
    rng = DateRange(preview.start, preview.end)
    label = draft_label(preview.label, rng)
    problems: list[Problem] = []
    year = _year_holding(session, rng, problems)
    person_ids = {p.code: p.id for p in PeopleRepository(session).in_year(0) if p.id is not None}
    shift_ids = ShiftTypeRepository(session).ids_by_code()
    problems += _gone(preview, person_ids, shift_ids)
    if problems or year is None:
        raise problems_error(problems)
    version = store_draft(
        session,
        year=year,
        label=label,
        assignments=[Assignment(person_ids[a.person], a.day, a.shift) for a in preview.assignments],
        shift_ids=shift_ids,
        actor=actor,
        reason=f"{preview.kind} file {preview.file_name}, range {rng.start}..{rng.end}",
    )
    assert version.id is not None
    return version.id


def delete_imported_draft(session: Session, version_id: int, actor: ActorLike) -> None:
    """``undo_schedule_import`` in the caller's transaction."""
    version = ScheduleVersionRepository(session).get(version_id)
    if version is None:
        raise NotFound(f"schedule version {version_id} not found", details={"entity": ENTITY})
    if version.status is not ScheduleStatus.DRAFT:
        raise Conflict(
            f"version {version_id} is {version.status.value} now, no longer a draft: undoing "
            "the import would erase the record. Change it instead.",
            details={"field": "version_id", "status": version.status.value},
        )
    if not _was_imported(session, version_id):
        raise Conflict(
            f"version {version_id} was not imported: only an imported draft can be undone",
            details={"field": "version_id"},
        )
    session.execute(delete(ShiftAssignmentRow).where(ShiftAssignmentRow.version_id == version_id))
    session.execute(delete(ScheduleVersionRow).where(ScheduleVersionRow.id == version_id))
    record(
        session,
        actor=actor,
        action=UNDO_ACTION,
        entity=ENTITY,
        entity_id=version_id,
        before=version,
        reason="import undone",
    )


def _was_imported(session: Session, version_id: int) -> bool:
    """The audit trail is where an import is recorded (``store_draft``)."""
    imported = exists().where(
        AuditEventRow.entity == ENTITY,
        AuditEventRow.entity_id == str(version_id),
        AuditEventRow.action == ACTION,
    )
    return bool(session.scalar(select(imported)))


def _known_codes(session: Session) -> KnownCodes:
    people = PeopleRepository(session).in_year(0)
    return KnownCodes({p.code for p in people}, set(ShiftTypeRepository(session).ids_by_code()))


def _year_holding(session: Session, rng: DateRange, problems: list[Problem]) -> AcademicYear | None:
    years = AcademicYearRepository(session).all()
    for year in years:
        if year.start <= rng.start and rng.end <= year.end:
            return year
    held = "; ".join(f"{y.label}: {y.start}..{y.end}" for y in years) or "none is set up"
    message = f"the file's days {rng.start}..{rng.end} are not inside one academic year ({held})"
    problems.append(Problem("", None, "", message))
    return None


def _gone(
    preview: SchedulePreview, person_ids: Collection[str], shift_ids: Collection[str]
) -> list[Problem]:
    """Codes the preview accepted that the program no longer has (changed since)."""
    people = sorted({a.person for a in preview.assignments} - set(person_ids))
    shifts = sorted({a.shift for a in preview.assignments} - set(shift_ids))
    since = "(removed since the preview)"
    return [
        *(Problem(preview.file_name, None, "", f'unknown person "{c}" {since}') for c in people),
        *(
            Problem(preview.file_name, None, "", f'unknown shift type "{c}" {since}')
            for c in shifts
        ),
    ]
