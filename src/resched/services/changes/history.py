"""The history of a version's changes, newest first, and undoing one.

An applied change can be undone within the program's undo window when nothing depends on it:
no later change (not itself undone) touched the same person on the same day. The undo is a
change set of its own (the inverse items, restoring removed rows with their source and lock),
checked like any other, so the history keeps both and the schedule returns exactly to what it
was for those people and days.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session

from resched.core.changes.kinds import ChangeKind, ItemOp, SwapStatus
from resched.core.errors import Conflict, NotFound
from resched.core.model import AssignmentSource
from resched.db.records import Page
from resched.db.repositories import ProgramRepository
from resched.db.tables import (
    PersonRow,
    ScheduleChangeItemRow,
    ScheduleChangeRow,
    ShiftTypeRow,
    SwapRequestRow,
    UserRow,
)
from resched.services.audit import ActorLike
from resched.services.changes.apply import apply_in
from resched.services.changes.model import (
    AppliedChange,
    ChangeItem,
    Override,
    Slot,
)
from resched.services.common import DEFAULT_PAGE_SIZE, SessionFactory, check_page, read, write


def list_changes(
    *,
    factory: SessionFactory,
    version_id: int,
    limit: int = DEFAULT_PAGE_SIZE,
    offset: int = 0,
) -> Page[AppliedChange]:
    """The version's change sets, newest first."""
    check_page(limit, offset)
    with read(factory) as session:
        total = session.scalar(
            select(func.count())
            .select_from(ScheduleChangeRow)
            .where(ScheduleChangeRow.version_id == version_id)
        )
        ids = session.scalars(_ids_of(version_id).limit(limit).offset(offset)).all()
        items = [_load(session, change_id) for change_id in ids]
    return Page(items=tuple(items), total=total or 0, limit=limit, offset=offset)


def get_change(*, factory: SessionFactory, change_id: int) -> AppliedChange:
    with read(factory) as session:
        return _load(session, change_id)


def undoable(change: AppliedChange, *, now: dt.datetime, window_hours: int) -> str | None:
    """Why ``change`` cannot be undone any more (None when it still can, dependencies aside)."""
    if change.undone_by_id is not None:
        return f"change {change.id} was already undone (by change {change.undone_by_id})"
    if change.kind is ChangeKind.UNDO:
        return f"change {change.id} is itself an undo; make a new change instead"
    if now - change.created_at > dt.timedelta(hours=window_hours):
        return f"change {change.id} is older than the undo window of {window_hours} hours"
    return None


def undo_change(
    *,
    factory: SessionFactory,
    change_id: int,
    actor: ActorLike,
    now: dt.datetime,
    today: dt.date,
    override: Override | None = None,
) -> AppliedChange:
    """Apply the inverse of change ``change_id`` as a new change set. NotFound for an unknown
    change; Conflict when it was undone already, is an undo, is older than the window, a later
    change touched the same people and days, or the schedule no longer holds what it added;
    Invalid like any change (frozen days without ``override``, a new violation)."""
    with write(factory) as session:
        change = _load(session, change_id)
        program = ProgramRepository(session).get()
        window = program.undo_window_hours if program else 24
        problem = undoable(change, now=now, window_hours=window)
        if problem:
            raise Conflict(problem, details={"change": change_id})
        _require_nothing_depends(session, change)
        undo = apply_in(
            session,
            version_id=change.version_id,
            change=change.request.inverse(),
            kind=ChangeKind.UNDO,
            actor=actor,
            today=today,
            reason=f"undo of change {change.id}",
            override=override,
            summary=f"undo of change {change.id}: {change.summary}",
            undoes_id=change.id,
            restore=_restored(session, change.id),
        )
        session.execute(
            update(ScheduleChangeRow)
            .where(ScheduleChangeRow.id == change.id)
            .values(undone_by_id=undo.id)
        )
        session.execute(
            update(SwapRequestRow)
            .where(SwapRequestRow.change_id == change.id)
            .values(status=SwapStatus.UNDONE)
        )
        return undo


def _ids_of(version_id: int) -> Select[int]:
    return (
        select(ScheduleChangeRow.id)
        .where(ScheduleChangeRow.version_id == version_id)
        .order_by(ScheduleChangeRow.revision.desc())
    )


def _load(session: Session, change_id: int) -> AppliedChange:
    row = session.get(ScheduleChangeRow, change_id)
    if row is None:
        raise NotFound(f"no change {change_id}", details={"entity": "schedule_change"})
    items = session.execute(
        select(
            ScheduleChangeItemRow.op, PersonRow.code, ScheduleChangeItemRow.day, ShiftTypeRow.code
        )
        .join(PersonRow, PersonRow.id == ScheduleChangeItemRow.person_id)
        .join(ShiftTypeRow, ShiftTypeRow.id == ScheduleChangeItemRow.shift_type_id)
        .where(ScheduleChangeItemRow.change_id == change_id)
        .order_by(ScheduleChangeItemRow.id)
    )
    who = session.scalar(select(UserRow.username).where(UserRow.id == row.created_by))
    return AppliedChange(
        id=row.id,
        version_id=row.version_id,
        revision=row.revision,
        kind=row.kind,
        summary=row.summary,
        reason=row.reason,
        override=row.override,
        created_at=row.created_at,
        created_by=who,
        items=tuple(ChangeItem(op, Slot(person, day, shift)) for op, person, day, shift in items),
        undoes_id=row.undoes_id,
        undone_by_id=row.undone_by_id,
    )


def _require_nothing_depends(session: Session, change: AppliedChange) -> None:
    touched = {(i.slot.person, i.slot.day) for i in change.items}
    later = session.scalars(
        select(ScheduleChangeRow.id).where(
            ScheduleChangeRow.version_id == change.version_id,
            ScheduleChangeRow.revision > change.revision,
            ScheduleChangeRow.undone_by_id.is_(None),
            ScheduleChangeRow.kind != ChangeKind.UNDO,
        )
    ).all()
    for later_id in later:
        other = _load(session, later_id)
        if any((i.slot.person, i.slot.day) in touched for i in other.items):
            raise Conflict(
                f"change {later_id} since then changed the same people on the same days; "
                f"undo it first",
                details={"change": change.id, "depends": later_id},
            )


def _restored(session: Session, change_id: int) -> dict[Slot, tuple[AssignmentSource, bool]]:
    """How the rows a change removed looked (source, lock), to put them back exactly."""
    rows = session.execute(
        select(
            PersonRow.code,
            ScheduleChangeItemRow.day,
            ShiftTypeRow.code,
            ScheduleChangeItemRow.source,
            ScheduleChangeItemRow.locked,
        )
        .join(PersonRow, PersonRow.id == ScheduleChangeItemRow.person_id)
        .join(ShiftTypeRow, ShiftTypeRow.id == ScheduleChangeItemRow.shift_type_id)
        .where(
            ScheduleChangeItemRow.change_id == change_id,
            ScheduleChangeItemRow.op == ItemOp.REMOVE,
        )
    )
    return {Slot(p, d, s): (source, locked) for p, d, s, source, locked in rows}
