"""Suggested backups added in one step (issue 15): put the stand-in the contingency report
names on the program's jeopardy shift that day, as an ordinary change to the published version
(``apply_in``: the same checks - slot free, frozen days need an override, no new violation -
the same audit, history, notices and undo as any edit)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from resched.core.changes.kinds import ChangeKind
from resched.core.errors import Invalid, NotFound
from resched.db.repositories import ProgramRepository
from resched.db.tables import PersonRow
from resched.services.audit import ActorLike
from resched.services.changes.apply import apply_in, lock_for_change
from resched.services.changes.model import AppliedChange, ChangeRequest, Override, Slot
from resched.services.common import SessionFactory, write
from resched.services.schedules import ENTITY

NO_JEOPARDY = "no jeopardy shift is set: choose one in Program settings to add backups"


def add_backup(
    *,
    factory: SessionFactory,
    version_id: int,
    person: str,
    day: dt.date,
    actor: ActorLike,
    today: dt.date,
    out: str = "",
    override: Override | None = None,
) -> AppliedChange:
    """Add ``person`` (a code) on the jeopardy shift on ``day`` as backup for ``out`` (a
    code; only the summary names them). ``Invalid`` naming ``jeopardy_shift`` when the program
    has none; the change's own errors otherwise (``Conflict`` if already on it)."""
    with write(factory) as session:
        if lock_for_change(session, version_id) is None:
            raise NotFound(f"no schedule version {version_id}", details={"entity": ENTITY})
        program = ProgramRepository(session).get()
        shift = program.jeopardy_shift if program is not None else None
        if shift is None:
            raise Invalid(NO_JEOPARDY, details={"field": "jeopardy_shift"})
        name = session.scalar(select(PersonRow.name).where(PersonRow.code == out)) if out else None
        whom = f"backup for {name or out} on " if out else "backup on "
        return apply_in(
            session,
            version_id=version_id,
            change=ChangeRequest(add=(Slot(person, day, shift),)),
            kind=ChangeKind.EDIT,
            actor=actor,
            today=today,
            override=override,
            summary=f"{whom}{day.isoformat()} (contingency)",
        )
