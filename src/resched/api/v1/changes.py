"""/schedules/{id}/changes: edit a stored schedule (published or draft) in place, one checked
change set at a time; /changes/{id}/undo takes one back.

A preview says what the change would break or mend and which days are frozen; applying it
needs the revision the preview answered (``expected_revision``), so a change made meanwhile is
a 409 and nothing is written. On a published schedule, days inside the freeze horizon (or in
the past) need an ``override`` with a reason code (422 naming ``override`` otherwise); a
change creating a violation is a 422 listing the findings. Drafts have no freeze horizon.
Only coordinators (schedule:write) reach these routes: the history carries override notes
such as sick calls.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Request

from resched.api.deps import ActorDep, PageDep, SessionFactoryDep
from resched.api.schemas import PageOut
from resched.api.schemas.changes import ApplyIn, ChangeIn, ChangeOut, PreviewOut, UndoIn
from resched.core.changes.kinds import ChangeKind
from resched.http.auth import require
from resched.http.clock import request_now
from resched.http.database import request_factory
from resched.http.params import MAX_ID
from resched.services import schedules
from resched.services.changes.apply import apply_change, preview_change
from resched.services.changes.history import list_changes, undo_change
from resched.services.fairness import today_of_program
from resched.services.permissions import Permission

router = APIRouter(tags=["changes"], dependencies=[require(Permission.SCHEDULE_WRITE)])
VersionId = Annotated[int, Path(ge=1, le=MAX_ID)]
ChangeId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _today(request: Request) -> dt.date:
    return today_of_program(factory=request_factory(request), now=request_now(request))


@router.post("/schedules/{version_id}/changes/preview")
def preview(
    version_id: VersionId, body: ChangeIn, request: Request, factory: SessionFactoryDep
) -> PreviewOut:
    """What the change would do, without doing it: the findings it creates (a violation there
    refuses the change) and clears, and the frozen days that need an override."""
    found = preview_change(
        factory=factory, version_id=version_id, change=body.to_core(), today=_today(request)
    )
    return PreviewOut.of(found)


@router.post("/schedules/{version_id}/changes", status_code=201)
def apply(
    version_id: VersionId,
    body: ApplyIn,
    request: Request,
    factory: SessionFactoryDep,
    actor: ActorDep,
) -> ChangeOut:
    """Apply the change as the version's next revision (audited; on a published schedule the
    people whose shifts changed are told)."""
    applied = apply_change(
        factory=factory,
        version_id=version_id,
        change=body.to_core(),
        kind=ChangeKind.EDIT,
        actor=actor,
        today=_today(request),
        expected_revision=body.expected_revision,
        reason=body.reason,
        override=body.override.to_core() if body.override else None,
        allow_violations=body.allow_violations,
    )
    return ChangeOut.of(applied)


@router.get("/schedules/{version_id}/changes")
def history(version_id: VersionId, factory: SessionFactoryDep, page: PageDep) -> PageOut[ChangeOut]:
    """The version's change sets, newest first."""
    schedules.get_schedule(factory=factory, version_id=version_id, include_drafts=True)
    found = list_changes(
        factory=factory, version_id=version_id, limit=page.limit, offset=page.offset
    )
    return PageOut[ChangeOut].of(found, ChangeOut.of)


@router.post("/changes/{change_id}/undo", status_code=201)
def undo(
    change_id: ChangeId,
    request: Request,
    factory: SessionFactoryDep,
    actor: ActorDep,
    body: UndoIn | None = None,
) -> ChangeOut:
    """Apply the inverse of the change as a new change set: 409 when the undo window has
    passed, a later change touched the same people and days, or it was undone already."""
    override = body.override.to_core() if body and body.override else None
    undone = undo_change(
        factory=factory,
        change_id=change_id,
        actor=actor,
        now=request_now(request),
        today=_today(request),
        override=override,
    )
    return ChangeOut.of(undone)
