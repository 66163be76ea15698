"""/shift-types: the kinds of duty a program schedules.

PUT replaces the whole shift type; the code cannot change (422). DELETE answers 409 while a
rotation, coverage rule, other shift type, assignment or request still uses it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response, status

from resched.api.deps import ActorDep, PageDep, SessionFactoryDep
from resched.api.schemas import PageOut, ShiftTypeIn, ShiftTypeOut
from resched.api.versions import IfMatchDep, saved_version, tag
from resched.http.auth import require
from resched.http.params import MAX_ID
from resched.services import shift_types
from resched.services.permissions import Permission
from resched.services.versions import Edited, version_of

router = APIRouter(prefix="/shift-types", tags=["shift types"])
# Everyone signed in reads; changing needs program:write.
READ = [require(Permission.PROGRAM_READ)]
WRITE = [require(Permission.PROGRAM_WRITE)]
ShiftTypeId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("", dependencies=READ)
def list_shift_types(factory: SessionFactoryDep, page: PageDep) -> PageOut[ShiftTypeOut]:
    result = shift_types.list_shift_types(factory=factory, limit=page.limit, offset=page.offset)
    return PageOut[ShiftTypeOut].of(result, ShiftTypeOut.of)


@router.post("", status_code=status.HTTP_201_CREATED, dependencies=WRITE)
def create_shift_type(
    body: ShiftTypeIn, factory: SessionFactoryDep, actor: ActorDep
) -> ShiftTypeOut:
    created = shift_types.create_shift_type(factory=factory, shift_type=body.to_core(), actor=actor)
    return ShiftTypeOut.of(created)


@router.get("/{shift_type_id}", dependencies=READ)
def get_shift_type(
    shift_type_id: ShiftTypeId, factory: SessionFactoryDep, response: Response
) -> ShiftTypeOut:
    """With the shift type's ETag, for If-Match on PUT and DELETE."""
    tag(response, version_of(factory=factory, kind=Edited.SHIFT_TYPE, item_id=shift_type_id))
    found = shift_types.get_shift_type(factory=factory, shift_type_id=shift_type_id)
    return ShiftTypeOut.of(found)


@router.put("/{shift_type_id}", dependencies=WRITE)
def replace_shift_type(
    shift_type_id: ShiftTypeId,
    body: ShiftTypeIn,
    factory: SessionFactoryDep,
    actor: ActorDep,
    version: IfMatchDep,
    response: Response,
) -> ShiftTypeOut:
    updated = shift_types.update_shift_type(
        factory=factory,
        shift_type_id=shift_type_id,
        shift_type=body.to_core(),
        actor=actor,
        expected_version=version,
    )
    tag(response, saved_version(version))
    return ShiftTypeOut.of(updated)


@router.delete(
    "/{shift_type_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=WRITE,
)
def delete_shift_type(
    shift_type_id: ShiftTypeId, factory: SessionFactoryDep, actor: ActorDep, version: IfMatchDep
) -> None:
    shift_types.delete_shift_type(
        factory=factory, shift_type_id=shift_type_id, actor=actor, expected_version=version
    )
