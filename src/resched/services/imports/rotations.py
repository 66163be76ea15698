"""Importing rotations: one row per rotation, matched by code (a known code updates it, a new
code creates it). The checks are those of the Program page (services/rotations.py).

The file holds the flat fields; capacities, yearly requirements, weekly patterns and quotas
stay as they are (set them on the Program page). A column left out keeps the stored value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy.orm import Session

from resched.core.errors import Conflict
from resched.core.model import Rotation
from resched.db.mappers import snapshot
from resched.db.repositories import RotationRepository
from resched.io.tables import Record
from resched.io.uploads import Upload
from resched.services.audit import ActorLike
from resched.services.codes import KnownCodes
from resched.services.common import check_code
from resched.services.imports.kind import TABLE_FILES, ImportKind
from resched.services.imports.staging import (
    CREATE,
    UNCHANGED,
    UPDATE,
    Column,
    Staged,
    StagedRow,
    changes,
    code_list,
    first_sheet,
    read_records,
    stage_records,
    yes_no,
)
from resched.services.imports.undoing import check_unchanged, refuse_if_blocked
from resched.services.permissions import Permission
from resched.services.rotations import (
    add_rotations,
    check_rotation_references,
    remove_rotation,
    replace_rotation,
    rotation_code_users,
    validate_rotation,
)

COLUMNS = (
    Column("code", True, "the rotation's stable code (matches an existing rotation)", "ICU"),
    Column("name", True, "name", "Intensive care"),
    Column("colour", False, "colour #rrggbb (new rotations: #cccccc)", "#3366cc"),
    Column("leave_eligible", False, "yes if leave may be taken on it", "no"),
    Column("allows_half_block", False, "yes if it may last half a block", "no"),
    Column("not_adjacent_to", False, "rotation codes never in the slot next to it", ""),
    Column("prerequisites", False, "rotation codes a resident must have done first", ""),
)
FLAT = ("code", "name", "colour", "leave_eligible", "allows_half_block")
LISTS = ("not_adjacent_to", "prerequisites")


def stage_rotations(session: Session, upload: Upload) -> Staged:
    notes: list[str] = []
    sheet = first_sheet(upload, notes=notes)
    found = read_records(sheet, COLUMNS)
    existing = {rotation.code: rotation for rotation in RotationRepository(session).all()}
    known = KnownCodes.load(session).adding(rotations=[r.values["code"] for r in found])

    def stage_one(record: Record) -> StagedRow:
        return _stage_rotation(record, existing.get(record.values["code"]), known)

    staged = stage_records(
        sheet,
        found,
        key_of=lambda record: record.values["code"],
        stage_one=stage_one,
        columns_by_field={},
        key_column="code",
    )
    staged.notes.extend(notes)
    return staged


def _stage_rotation(record: Record, current: Rotation | None, known: KnownCodes) -> StagedRow:
    values = record.values
    check_code(values["code"])
    base = current or Rotation(code=values["code"], name="")
    rotation = replace(
        base,
        name=values["name"],
        colour=values.get("colour") or base.colour,
        leave_eligible=_flag(values, "leave_eligible", base.leave_eligible),
        allows_half_block=_flag(values, "allows_half_block", base.allows_half_block),
        not_adjacent_to=_codes(values, "not_adjacent_to", base.not_adjacent_to),
        prerequisites=_codes(values, "prerequisites", base.prerequisites),
    )
    validate_rotation(rotation)
    check_rotation_references(known, rotation)
    after = _values(rotation)
    if current is None:
        return {"action": CREATE, "key": rotation.code, "id": None, "values": after}
    before = _values(current)
    action = UPDATE if before != after else UNCHANGED
    return {
        "action": action,
        "key": rotation.code,
        "id": current.id,
        "values": after,
        "before": snapshot(current),
        "changes": changes(before, after),
    }


def _flag(values: Any, name: str, kept: bool) -> bool:
    return yes_no(values[name], name) if name in values else kept


def _codes(values: Any, name: str, kept: tuple[str, ...]) -> tuple[str, ...]:
    return code_list(values[name]) if name in values else kept


def _values(rotation: Rotation) -> dict[str, Any]:
    data = snapshot(rotation)
    return {name: data[name] for name in FLAT + LISTS}


def _with(base: Rotation, values: dict[str, Any]) -> Rotation:
    return replace(
        base,
        code=values["code"],
        name=values["name"],
        colour=values["colour"],
        leave_eligible=values["leave_eligible"],
        allows_half_block=values["allows_half_block"],
        not_adjacent_to=tuple(values["not_adjacent_to"]),
        prerequisites=tuple(values["prerequisites"]),
    )


def apply_rotations(
    session: Session, rows: Sequence[StagedRow], actor: ActorLike
) -> dict[str, Any]:
    repo = RotationRepository(session)
    held = repo.preload([r["id"] for r in rows if r["action"] == UPDATE])  # noqa: F841 - see preload
    new = [_with(Rotation(code="", name=""), r["values"]) for r in rows if r["action"] == CREATE]
    created = add_rotations(session, new, actor=actor)
    updated = []
    for row in rows:
        if row["action"] != UPDATE:
            continue
        current = repo.get(row["id"])
        if current is None or snapshot(current) != row["before"]:
            raise Conflict(
                f"rotation {row['key']} (row {row['row']}) changed since the preview; "
                "upload the file again",
                details={"row": row["row"], "code": row["key"]},
            )
        after = replace_rotation(
            session, rotation_id=row["id"], rotation=_with(current, row["values"]), actor=actor
        )
        updated.append({"id": row["id"], "before": _values(current), "after": snapshot(after)})
    return {
        "created": [{"id": r.id, "after": snapshot(r)} for r in created],
        "updated": updated,
    }


def undo_rotations(session: Session, applied: dict[str, Any], actor: ActorLike) -> None:
    repo = RotationRepository(session)
    blockers: list[str] = []
    batch = {f"rotation {item['after']['code']}" for item in applied["created"]}
    for item in applied["created"] + applied["updated"]:
        current = repo.get(item["id"])
        check_unchanged(blockers, "rotation", item, None if current is None else snapshot(current))
    for item in applied["created"]:
        code = item["after"]["code"]
        # Rotations of the same batch naming each other go together.
        users = [u for u in rotation_code_users(session, code) if u not in batch]
        if users:
            blockers.append(f"rotation {code} is now used by {', '.join(users)}")
    refuse_if_blocked(blockers)
    for item in applied["updated"]:
        current = repo.get(item["id"])
        assert current is not None  # checked above, in this transaction
        replace_rotation(
            session, rotation_id=item["id"], rotation=_with(current, item["before"]), actor=actor
        )
    _remove_created(session, applied["created"], actor)


def _remove_created(session: Session, created: list[dict[str, Any]], actor: ActorLike) -> None:
    """Rotations of the batch that name each other: first drop those names, so each can go."""
    repo = RotationRepository(session)
    for item in created:
        current = repo.get(item["id"])
        if current is not None and (current.not_adjacent_to or current.prerequisites):
            bare = replace(current, not_adjacent_to=(), prerequisites=())
            replace_rotation(session, rotation_id=item["id"], rotation=bare, actor=actor)
    for item in created:
        remove_rotation(session, rotation_id=item["id"], actor=actor)


ROTATIONS = ImportKind(
    name="rotations",
    title="Rotations",
    permission=Permission.PROGRAM_WRITE,
    file_kinds=TABLE_FILES,
    columns=COLUMNS,
    stage=stage_rotations,
    apply=apply_rotations,
    undo=undo_rotations,
)
