"""/absences: whole local days away (vacation, sick, parental, ...).

PUT replaces the whole absence. Filters: ``person_id``, ``status``, and ``start``/``end`` for
the absences touching that range (both inclusive; give both or neither).

Coordinators see and change every absence. Residents and faculty see only their own, may
request one or cancel their request while it is undecided; the decision is a coordinator's
(resched.services.permissions.check_absence_change).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from resched.api.deps import ActorDep, PageDep, SessionFactoryDep
from resched.api.schemas import AbsenceIn, AbsenceOut, PageOut
from resched.api.schemas.common import Day
from resched.api.versions import IfMatchDep, saved_version, tag
from resched.core.errors import Invalid
from resched.core.model import AbsenceStatus
from resched.http.auth import require
from resched.http.params import MAX_ID
from resched.services import absences
from resched.services.absence_privacy import get_visible_absence
from resched.services.permissions import (
    Permission,
    Principal,
    check_absence_change,
    readable_person_id,
)
from resched.services.versions import Edited, version_of

router = APIRouter(prefix="/absences", tags=["absences"])
AbsenceId = Annotated[int, Path(ge=1, le=MAX_ID)]
Requester = Annotated[Principal, require(Permission.REQUESTS_OWN)]


@router.get("")
def list_absences(
    factory: SessionFactoryDep,
    page: PageDep,
    principal: Requester,
    person_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    status: AbsenceStatus | None = None,
    start: Day | None = None,
    end: Day | None = None,
) -> PageOut[AbsenceOut]:
    if (start is None) != (end is None):
        raise Invalid("give both start and end, or neither", details={"field": "end"})
    result = absences.list_absences(
        factory=factory,
        limit=page.limit,
        offset=page.offset,
        person_id=readable_person_id(principal, person_id),
        status=status,
        overlapping=None if start is None or end is None else (start, end),
    )
    return PageOut[AbsenceOut].of(result, AbsenceOut.of)


@router.post("", status_code=201)
def create_absence(
    body: AbsenceIn, factory: SessionFactoryDep, principal: Requester, actor: ActorDep
) -> AbsenceOut:
    check_absence_change(principal, person_id=body.person_id, new_status=body.status)
    created = absences.create_absence(factory=factory, absence=body.to_core(), actor=actor)
    return AbsenceOut.of(created)


@router.get("/{absence_id}")
def get_absence(
    absence_id: AbsenceId, factory: SessionFactoryDep, principal: Requester, response: Response
) -> AbsenceOut:
    """With the absence's ETag, for If-Match on PUT and DELETE."""
    version = version_of(factory=factory, kind=Edited.ABSENCE, item_id=absence_id)
    found = AbsenceOut.of(
        get_visible_absence(factory=factory, principal=principal, absence_id=absence_id)
    )
    tag(response, version)
    return found


@router.put("/{absence_id}")
def replace_absence(
    absence_id: AbsenceId,
    body: AbsenceIn,
    factory: SessionFactoryDep,
    principal: Requester,
    actor: ActorDep,
    version: IfMatchDep,
    response: Response,
) -> AbsenceOut:
    current = get_visible_absence(factory=factory, principal=principal, absence_id=absence_id)
    check_absence_change(
        principal, person_id=current.person_id, old_status=current.status, new_status=body.status
    )
    check_absence_change(principal, person_id=body.person_id, new_status=body.status)
    updated = absences.update_absence(
        factory=factory,
        absence_id=absence_id,
        absence=body.to_core(),
        actor=actor,
        expected_version=version,
    )
    tag(response, saved_version(version))
    return AbsenceOut.of(updated)


@router.delete("/{absence_id}", status_code=204)
def delete_absence(
    absence_id: AbsenceId,
    factory: SessionFactoryDep,
    principal: Requester,
    actor: ActorDep,
    version: IfMatchDep,
) -> None:
    current = get_visible_absence(factory=factory, principal=principal, absence_id=absence_id)
    check_absence_change(
        principal, person_id=current.person_id, old_status=current.status, new_status=None
    )
    absences.delete_absence(
        factory=factory, absence_id=absence_id, actor=actor, expected_version=version
    )
