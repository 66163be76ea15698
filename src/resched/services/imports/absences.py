"""Importing absences: one row per absence of a person named by code. Every row creates an
absence; a row identical to a stored absence (person, days, type) is left unchanged, and one
overlapping another absence of the person (stored, or on another row) is a problem. The
checks are those of the Absences page (services/absences.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from resched.core.model import Absence, AbsenceStatus, AbsenceType
from resched.db.mappers import snapshot
from resched.db.records import PersonProfile
from resched.db.repositories import AbsenceRepository, PeopleRepository
from resched.io.tables import Record
from resched.io.uploads import FileKind, Upload
from resched.services.absences import add_absences, remove_absence, validate_absence
from resched.services.audit import ActorLike
from resched.services.common import fail
from resched.services.imports.documents import DocumentArray, place_at_paths, table_of
from resched.services.imports.kind import TABLE_FILES, ImportKind
from resched.services.imports.staging import (
    CREATE,
    UNCHANGED,
    Column,
    Staged,
    StagedRow,
    day,
    problem,
    read_records,
    stage_records,
)
from resched.services.imports.undoing import check_unchanged, refuse_if_blocked
from resched.services.notices import notify_coordinators
from resched.services.permissions import Permission

COLUMNS = (
    Column("person", True, "the person's code", "R1-DOE"),
    Column("start", True, "first day away, YYYY-MM-DD", "2026-08-03"),
    Column("end", True, "last day away, YYYY-MM-DD", "2026-08-07"),
    Column("type", True, ", ".join(t.value for t in AbsenceType), "vacation"),
    Column("status", False, "approved (the default) or requested", "approved"),
    Column("note", False, "a note (at most 2,000 characters)", ""),
)
FIELD_COLUMNS = {"person_id": "person"}
STATUSES = (AbsenceStatus.APPROVED, AbsenceStatus.REQUESTED)
# An interchange document's absences[] (they carry no status: approved).
DOCUMENT = DocumentArray("absences", {key: key for key in ("person", "start", "end", "type")})


def stage_absences(session: Session, upload: Upload) -> Staged:
    notes: list[str] = []
    sheet = table_of(upload, DOCUMENT, notes=notes)
    found = read_records(sheet, COLUMNS)
    people = PeopleRepository(session).by_codes(r.values["person"] for r in found)
    stored = AbsenceRepository(session).of_people(p.id for p in people.values() if p.id)

    def stage_one(record: Record) -> StagedRow:
        return _stage_absence(record, people)

    staged = stage_records(
        sheet,
        found,
        key_of=lambda record: "",  # absences have no key; overlaps are checked below
        stage_one=stage_one,
        columns_by_field=FIELD_COLUMNS,
        key_column="person",
    )
    _mark_overlaps(staged, stored, columns=found[0].columns if found else {})
    staged.notes.extend(notes)
    return place_at_paths(staged, DOCUMENT)


def _stage_absence(record: Record, people: dict[str, PersonProfile]) -> StagedRow:
    values = record.values
    person = people.get(values["person"])
    if person is None or person.id is None:
        fail("person", f"no person has the code {values['person']!r}")
    absence = Absence(
        person_id=person.id,
        start=day(values["start"], "start"),
        end=day(values["end"], "end"),
        type=_choice(AbsenceType, values["type"], "type", tuple(AbsenceType)),
        status=_choice(AbsenceStatus, values.get("status") or "approved", "status", STATUSES),
        note=values.get("note", ""),
    )
    validate_absence(absence)
    data = snapshot(absence)
    data.pop("id", None)
    return {"action": CREATE, "key": person.code, "id": None, "values": data}


def _choice[E: (AbsenceType, AbsenceStatus)](
    enum: type[E], value: str, field: str, allowed: tuple[E, ...]
) -> E:
    text = value.strip().lower()
    for member in allowed:
        if member.value == text:
            return member
    fail(field, f"expected one of {', '.join(m.value for m in allowed)}, got {value!r}")


def _mark_overlaps(staged: Staged, stored: list[Absence], columns: Any) -> None:
    """A row the same as a stored absence is unchanged; one overlapping a stored absence, or
    an earlier row, of the same person becomes a problem at its start column."""
    taken: dict[int, list[tuple[str, str, str]]] = {}
    for absence in stored:
        if absence.status in STATUSES:  # denied and cancelled ones hold no days
            taken.setdefault(absence.person_id, []).append(
                (absence.start.isoformat(), absence.end.isoformat(), f"absence {absence.id}")
            )
    keep: list[StagedRow] = []
    for row in staged.rows:
        values = row["values"]
        same = [a for a in stored if _same(a, values)]
        if same:
            keep.append({**row, "action": UNCHANGED, "id": same[0].id})
            continue
        clash = next(
            (
                label
                for start, end, label in taken.get(values["person_id"], [])
                if start <= values["end"] and values["start"] <= end
            ),
            None,
        )
        if clash is not None:
            message = f"overlaps {clash} of {row['key']}"
            staged.problems.append(
                problem(row["sheet"], row["row"], columns.get("start", ""), "start", message)
            )
            continue
        taken.setdefault(values["person_id"], []).append(
            (values["start"], values["end"], f"row {row['row']}")
        )
        keep.append(row)
    staged.rows = keep


def _same(absence: Absence, values: dict[str, Any]) -> bool:
    return bool(
        absence.person_id == values["person_id"]
        and absence.start.isoformat() == values["start"]
        and absence.end.isoformat() == values["end"]
        and absence.type.value == values["type"]
    )


def _absence(values: dict[str, Any]) -> Absence:
    return Absence(
        person_id=values["person_id"],
        start=day(values["start"], "start"),
        end=day(values["end"], "end"),
        type=AbsenceType(values["type"]),
        status=AbsenceStatus(values["status"]),
        note=values["note"],
    )


def apply_absences(session: Session, rows: Sequence[StagedRow], actor: ActorLike) -> dict[str, Any]:
    new = [_absence(row["values"]) for row in rows if row["action"] == CREATE]
    created = add_absences(session, new, actor=actor)
    _tell_coordinators_of_requests(session, created)
    return {"created": [{"id": a.id, "after": snapshot(a)} for a in created], "updated": []}


def _tell_coordinators_of_requests(session: Session, created: Sequence[Absence]) -> None:
    """Requested leave waits for a decision in the leave queue, as a request typed on the
    Absences page does; one notice for the whole file rather than one per row."""
    requested = sum(1 for absence in created if absence.status is AbsenceStatus.REQUESTED)
    if requested:
        plural = "s" if requested != 1 else ""
        notify_coordinators(
            session,
            title=f"{requested} imported leave request{plural} waiting for a decision",
            body="Imported from a file; decide each in the leave queue.",
            link="/leave",
        )


def undo_absences(session: Session, applied: dict[str, Any], actor: ActorLike) -> None:
    repo = AbsenceRepository(session)
    held = repo.preload([item["id"] for item in applied["created"]])  # noqa: F841 - see preload
    blockers: list[str] = []
    for item in applied["created"]:
        current = repo.get(item["id"])
        check_unchanged(blockers, "absence", item, None if current is None else snapshot(current))
    refuse_if_blocked(blockers)
    for item in applied["created"]:
        remove_absence(session, absence_id=item["id"], actor=actor)


ABSENCES = ImportKind(
    name="absences",
    title="Absences",
    permission=Permission.ABSENCES_MANAGE,
    file_kinds=TABLE_FILES | {FileKind.JSON},
    columns=COLUMNS,
    stage=stage_absences,
    apply=apply_absences,
    undo=undo_absences,
)
