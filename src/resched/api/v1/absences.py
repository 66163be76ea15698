"""/absences: whole local days away (vacation, sick, parental, ...).

PUT replaces the whole absence. Filters: ``person_id``, ``status``, and ``start``/``end`` for
the absences touching that range (both inclusive; give both or neither).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query

from resched.api.deps import ActorDep, PageDep, SessionFactoryDep
from resched.api.schemas import AbsenceIn, AbsenceOut, PageOut
from resched.api.schemas.common import MAX_ID
from resched.core.errors import Invalid
from resched.core.model import AbsenceStatus
from resched.services import absences

router = APIRouter(prefix="/absences", tags=["absences"])
AbsenceId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("")
def list_absences(
    factory: SessionFactoryDep,
    page: PageDep,
    person_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    status: AbsenceStatus | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> PageOut[AbsenceOut]:
    if (start is None) != (end is None):
        raise Invalid("give both start and end, or neither", details={"field": "end"})
    result = absences.list_absences(
        factory=factory,
        limit=page.limit,
        offset=page.offset,
        person_id=person_id,
        status=status,
        overlapping=None if start is None or end is None else (start, end),
    )
    return PageOut[AbsenceOut].of(result, AbsenceOut.of)


@router.post("", status_code=201)
def create_absence(body: AbsenceIn, factory: SessionFactoryDep, actor: ActorDep) -> AbsenceOut:
    created = absences.create_absence(factory=factory, absence=body.to_core(), actor=actor)
    return AbsenceOut.of(created)


@router.get("/{absence_id}")
def get_absence(absence_id: AbsenceId, factory: SessionFactoryDep) -> AbsenceOut:
    return AbsenceOut.of(absences.get_absence(factory=factory, absence_id=absence_id))


@router.put("/{absence_id}")
def replace_absence(
    absence_id: AbsenceId, body: AbsenceIn, factory: SessionFactoryDep, actor: ActorDep
) -> AbsenceOut:
    updated = absences.update_absence(
        factory=factory, absence_id=absence_id, absence=body.to_core(), actor=actor
    )
    return AbsenceOut.of(updated)


@router.delete("/{absence_id}", status_code=204)
def delete_absence(absence_id: AbsenceId, factory: SessionFactoryDep, actor: ActorDep) -> None:
    absences.delete_absence(factory=factory, absence_id=absence_id, actor=actor)
