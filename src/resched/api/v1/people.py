"""/people: residents and faculty, with each resident's PGY level per academic year.

PUT replaces the whole person, year levels included (send every field; omitted optional
fields take their defaults). The code is the person's stable handle and cannot change (422).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from resched.api.deps import ActorDep, PageDep, SessionFactoryDep
from resched.api.schemas import PageOut, PersonIn, PersonOut
from resched.api.versions import IfMatchDep, saved_version, tag
from resched.core.model import Role
from resched.http.auth import require
from resched.http.params import MAX_ID
from resched.services import people
from resched.services.common import MAX_PGY
from resched.services.permissions import Permission
from resched.services.versions import Edited, version_of

router = APIRouter(prefix="/people", tags=["people"])
# Everyone signed in reads; changing needs people:write.
READ = [require(Permission.PEOPLE_READ)]
WRITE = [require(Permission.PEOPLE_WRITE)]
PersonId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("", dependencies=READ)
def list_people(
    factory: SessionFactoryDep,
    page: PageDep,
    role: Role | None = None,
    active: bool | None = None,
    academic_year_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    pgy: Annotated[int | None, Query(ge=1, le=MAX_PGY)] = None,
) -> PageOut[PersonOut]:
    """People by code; ``academic_year_id`` keeps those with a PGY level in that year, and
    ``pgy`` with it those at that level."""
    result = people.list_people(
        factory=factory,
        limit=page.limit,
        offset=page.offset,
        role=role,
        active=active,
        academic_year_id=academic_year_id,
        pgy=pgy,
    )
    return PageOut[PersonOut].of(result, PersonOut.of)


@router.post("", status_code=status.HTTP_201_CREATED, dependencies=WRITE)
def create_person(body: PersonIn, factory: SessionFactoryDep, actor: ActorDep) -> PersonOut:
    created = people.create_person(factory=factory, profile=body.to_profile(), actor=actor)
    return PersonOut.of(created)


@router.get("/{person_id}", dependencies=READ)
def get_person(person_id: PersonId, factory: SessionFactoryDep, response: Response) -> PersonOut:
    """With the person's ETag, for If-Match on PUT and DELETE."""
    tag(response, version_of(factory=factory, kind=Edited.PERSON, item_id=person_id))
    return PersonOut.of(people.get_person(factory=factory, person_id=person_id))


@router.put("/{person_id}", dependencies=WRITE)
def replace_person(
    person_id: PersonId,
    body: PersonIn,
    factory: SessionFactoryDep,
    actor: ActorDep,
    version: IfMatchDep,
    response: Response,
) -> PersonOut:
    updated = people.update_person(
        factory=factory,
        person_id=person_id,
        profile=body.to_profile(),
        actor=actor,
        expected_version=version,
    )
    tag(response, saved_version(version))
    return PersonOut.of(updated)


@router.delete(
    "/{person_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=WRITE,
)
def delete_person(
    person_id: PersonId, factory: SessionFactoryDep, actor: ActorDep, version: IfMatchDep
) -> None:
    """409 while the person appears in a schedule: deactivate them (PUT active=false) instead."""
    people.delete_person(
        factory=factory, person_id=person_id, actor=actor, expected_version=version
    )
