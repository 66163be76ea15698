"""Changing a stored schedule in place: one change set, checked and applied atomically.

Inside one write transaction, with the version's row locked: the revision the caller saw is
compared with the current one (409 if the schedule changed meanwhile), every slot to remove
must still be held and every slot to add must still be free (409 naming it otherwise), frozen
days of a published schedule need an override, and the incremental check must find no new
violation. Only then are the rows changed, the change set stored as the version's next
revision, the audit event written and the people whose shifts changed told. The revision is
raised with a compare-and-set, so two changes based on the same revision never both win.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TypedDict, Unpack

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from resched.core.changes.kinds import ChangeKind, ItemOp, NoticeKind
from resched.core.errors import Conflict, Invalid, NotFound
from resched.core.model import AssignmentSource, ScheduleStatus
from resched.db.tables import (
    ScheduleChangeItemRow,
    ScheduleChangeRow,
    ScheduleVersionRow,
    ShiftAssignmentRow,
    ShiftTypeRow,
    UserRow,
)
from resched.services.audit import ActorLike, as_actor, record
from resched.services.changes.check import Checked, check_in, require_legal, require_override
from resched.services.changes.model import (
    AppliedChange,
    ChangeItem,
    ChangePreview,
    ChangeRequest,
    Override,
    Slot,
)
from resched.services.common import SessionFactory, read, write
from resched.services.notices import notify_people
from resched.services.schedules import ENTITY

MAX_REASON = 500


def preview_change(
    *, factory: SessionFactory, version_id: int, change: ChangeRequest, today: dt.date
) -> ChangePreview:
    """What ``change`` would do to the version now (nothing is written)."""
    with read(factory) as session:
        checked = check_in(session, version_id, change, today, AssignmentSource.MANUAL)
    version = checked.version
    return ChangePreview(
        version_id=version.id,
        revision=version.revision,
        published=version.status is ScheduleStatus.PUBLISHED,
        created=checked.created,
        cleared=checked.cleared,
        frozen=checked.frozen,
    )


class ApplyOptions(TypedDict, total=False):
    """The optional keywords ``apply_change`` passes through to ``apply_in`` unchanged."""

    expected_revision: int | None
    reason: str
    override: Override | None
    allow_violations: bool
    summary: str
    source: AssignmentSource


def apply_change(
    *,
    factory: SessionFactory,
    version_id: int,
    change: ChangeRequest,
    kind: ChangeKind,
    actor: ActorLike,
    today: dt.date,
    **options: Unpack[ApplyOptions],
) -> AppliedChange:
    """Apply ``change`` in its own transaction; see ``apply_in`` for the checks."""
    with write(factory) as session:
        return apply_in(
            session,
            version_id=version_id,
            change=change,
            kind=kind,
            actor=actor,
            today=today,
            **options,
        )


def apply_in(
    session: Session,
    *,
    version_id: int,
    change: ChangeRequest,
    kind: ChangeKind,
    actor: ActorLike,
    today: dt.date,
    expected_revision: int | None = None,
    reason: str = "",
    override: Override | None = None,
    allow_violations: bool = False,
    summary: str = "",
    source: AssignmentSource = AssignmentSource.MANUAL,
    undoes_id: int | None = None,
    restore: Mapping[Slot, tuple[AssignmentSource, bool]] | None = None,
) -> AppliedChange:
    """Apply ``change`` in the caller's transaction (a swap's status changes with it).

    NotFound: unknown version, person or shift type. Conflict: archived version, a revision
    other than ``expected_revision``, a slot no longer held or already taken, a concurrent
    change. Invalid: an empty or oversized change, a day outside the year, frozen days without
    a usable ``override``, new violations (unless ``allow_violations`` with a ``reason``).
    ``restore`` gives added slots the source and lock they had (an undo)."""
    why = reason.strip()
    if len(why) > MAX_REASON:
        raise Invalid(f"a reason is at most {MAX_REASON} characters", details={"field": "reason"})
    status = lock_for_change(session, version_id)
    if status is None:
        raise NotFound(f"no schedule version {version_id}", details={"entity": ENTITY})
    if status is ScheduleStatus.ARCHIVED:
        raise Conflict(
            f"version {version_id} is archived; change the published version instead",
            details={"status": status.value},
        )
    checked = check_in(session, version_id, change, today, source, restore)
    revision = checked.version.revision
    if expected_revision is not None and expected_revision != revision:
        raise stale(version_id, expected_revision, revision)
    require_override(checked, override)
    require_legal(checked, allow_violations=allow_violations, reason=why)
    change_id = _write(session, checked, change, kind, actor, why, override, summary, undoes_id)
    record(
        session,
        actor=actor,
        action=f"change.{kind.value}",
        entity=ENTITY,
        entity_id=version_id,
        before={"revision": revision, "removed": [s.words() for s in change.remove]},
        after={"revision": revision + 1, "added": [s.words() for s in change.add]},
        reason=_audit_reason(why, override),
    )
    if checked.version.status is ScheduleStatus.PUBLISHED:
        _tell(session, checked)
    return AppliedChange(
        id=change_id,
        version_id=version_id,
        revision=revision + 1,
        kind=kind,
        summary=summary or describe(change),
        reason=why,
        override=override.reason if override else None,
        created_at=dt.datetime.now(dt.UTC),
        created_by=as_actor(actor).username,
        items=_items(change),
        undoes_id=undoes_id,
        warnings=checked.warnings,
    )


def lock_for_change(session: Session, version_id: int) -> ScheduleStatus | None:
    """Take the version's write lock and return its status (None: no such version).

    A no-op UPDATE rather than SELECT ... FOR UPDATE: on PostgreSQL both lock the row, but on
    SQLite only a write takes the database's write lock, and a transaction that read first and
    wrote after another writer committed would fail instead of waiting. Call it before the
    transaction reads anything, so whoever waits here reads what the winner wrote."""
    return session.execute(
        update(ScheduleVersionRow)
        .where(ScheduleVersionRow.id == version_id)
        .values(revision=ScheduleVersionRow.revision)
        .returning(ScheduleVersionRow.status)
    ).scalar_one_or_none()


def stale(version_id: int, expected: int, current: int) -> Conflict:
    return Conflict(
        f"the schedule changed since you looked (revision {expected}, now {current}); "
        "reload it and try again",
        details={"field": "expected_revision", "version": version_id, "revision": current},
    )


def describe(change: ChangeRequest) -> str:
    parts = [f"- {s.words()}" for s in change.remove] + [f"+ {s.words()}" for s in change.add]
    text = "; ".join(parts)
    return text if len(text) <= MAX_REASON else text[: MAX_REASON - 1] + "…"


def _write(
    session: Session,
    checked: Checked,
    change: ChangeRequest,
    kind: ChangeKind,
    actor: ActorLike,
    reason: str,
    override: Override | None,
    summary: str,
    undoes_id: int | None,
) -> int:
    version = checked.version
    bumped = session.execute(
        update(ScheduleVersionRow)
        .where(
            ScheduleVersionRow.id == version.id,
            ScheduleVersionRow.revision == version.revision,
        )
        .values(revision=version.revision + 1)
    )
    if bumped.rowcount != 1:  # type: ignore[attr-defined]
        raise stale(version.id, version.revision, version.revision + 1)
    ids = [a.id for a in checked.remove if a.id is not None]
    if ids:
        session.execute(delete(ShiftAssignmentRow).where(ShiftAssignmentRow.id.in_(ids)))
    shift_ids = dict(session.execute(select(ShiftTypeRow.code, ShiftTypeRow.id)).all())
    if checked.add:
        session.execute(
            insert(ShiftAssignmentRow),
            [
                {
                    "version_id": version.id,
                    "person_id": a.person_id,
                    "day": a.date,
                    "shift_type_id": shift_ids[a.shift_code],
                    "source": a.source,
                    "locked": a.locked,
                }
                for a in checked.add
            ],
        )
    user_id = _user_id(session, actor)
    change_id = session.scalar(
        insert(ScheduleChangeRow)
        .values(
            version_id=version.id,
            revision=version.revision + 1,
            kind=kind,
            summary=(summary or describe(change))[:MAX_REASON],
            reason=reason,
            override=override.reason if override else None,
            created_by=user_id,
            undoes_id=undoes_id,
        )
        .returning(ScheduleChangeRow.id)
    )
    assert isinstance(change_id, int)
    items = [(ItemOp.REMOVE, a) for a in checked.remove] + [(ItemOp.ADD, a) for a in checked.add]
    session.execute(
        insert(ScheduleChangeItemRow),
        [
            {
                "change_id": change_id,
                "op": op,
                "person_id": a.person_id,
                "day": a.date,
                "shift_type_id": shift_ids[a.shift_code],
                "source": a.source,
                "locked": a.locked,
            }
            for op, a in items
        ],
    )
    return change_id


def _user_id(session: Session, actor: ActorLike) -> int | None:
    name = as_actor(actor).username
    if name is None:
        return None
    return session.scalar(select(UserRow.id).where(UserRow.username == name))


def _tell(session: Session, checked: Checked) -> None:
    people = {a.person_id for a in (*checked.remove, *checked.add)}
    for person_id in sorted(people):
        mine = [a for a in checked.remove if a.person_id == person_id]
        got = [a for a in checked.add if a.person_id == person_id]
        lines = [f"No longer yours: {a.shift_code} on {a.date.isoformat()}" for a in mine]
        lines += [f"Now yours: {a.shift_code} on {a.date.isoformat()}" for a in got]
        notify_people(
            session,
            person_ids=[person_id],
            kind=NoticeKind.SHIFT_CHANGED,
            title="Your shifts changed",
            body="\n".join(lines),
            link="/me",
        )


def _items(change: ChangeRequest) -> tuple[ChangeItem, ...]:
    return tuple(ChangeItem(ItemOp.REMOVE, s) for s in change.remove) + tuple(
        ChangeItem(ItemOp.ADD, s) for s in change.add
    )


def _audit_reason(reason: str, override: Override | None) -> str | None:
    parts = []
    if override is not None:
        note = f" ({override.note.strip()})" if override.note.strip() else ""
        parts.append(f"override: {override.reason.value}{note}")
    if reason:
        parts.append(reason)
    return "; ".join(parts) or None
