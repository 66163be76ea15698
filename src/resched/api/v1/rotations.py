"""/rotations: rotations of the annual plan with capacities, yearly requirements and quotas.

PUT replaces the whole rotation, children included; the code cannot change (422). DELETE
answers 409 while another rotation, a coverage rule, a rotation plan or a request uses it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response, status

from resched.api.deps import ActorDep, PageDep, SessionFactoryDep
from resched.api.schemas import PageOut, RotationIn, RotationOut
from resched.api.versions import IfMatchDep, saved_version, tag
from resched.http.auth import require
from resched.http.params import MAX_ID
from resched.services import rotations
from resched.services.permissions import Permission
from resched.services.versions import Edited, version_of

router = APIRouter(prefix="/rotations", tags=["rotations"])
# Everyone signed in reads; changing needs program:write.
READ = [require(Permission.PROGRAM_READ)]
WRITE = [require(Permission.PROGRAM_WRITE)]
RotationId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("", dependencies=READ)
def list_rotations(factory: SessionFactoryDep, page: PageDep) -> PageOut[RotationOut]:
    result = rotations.list_rotations(factory=factory, limit=page.limit, offset=page.offset)
    return PageOut[RotationOut].of(result, RotationOut.of)


@router.post("", status_code=status.HTTP_201_CREATED, dependencies=WRITE)
def create_rotation(body: RotationIn, factory: SessionFactoryDep, actor: ActorDep) -> RotationOut:
    created = rotations.create_rotation(factory=factory, rotation=body.to_core(), actor=actor)
    return RotationOut.of(created)


@router.get("/{rotation_id}", dependencies=READ)
def get_rotation(
    rotation_id: RotationId, factory: SessionFactoryDep, response: Response
) -> RotationOut:
    """With the rotation's ETag, for If-Match on PUT and DELETE."""
    tag(response, version_of(factory=factory, kind=Edited.ROTATION, item_id=rotation_id))
    return RotationOut.of(rotations.get_rotation(factory=factory, rotation_id=rotation_id))


@router.put("/{rotation_id}", dependencies=WRITE)
def replace_rotation(
    rotation_id: RotationId,
    body: RotationIn,
    factory: SessionFactoryDep,
    actor: ActorDep,
    version: IfMatchDep,
    response: Response,
) -> RotationOut:
    updated = rotations.update_rotation(
        factory=factory,
        rotation_id=rotation_id,
        rotation=body.to_core(),
        actor=actor,
        expected_version=version,
    )
    tag(response, saved_version(version))
    return RotationOut.of(updated)


@router.delete(
    "/{rotation_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=WRITE,
)
def delete_rotation(
    rotation_id: RotationId, factory: SessionFactoryDep, actor: ActorDep, version: IfMatchDep
) -> None:
    rotations.delete_rotation(
        factory=factory, rotation_id=rotation_id, actor=actor, expected_version=version
    )
