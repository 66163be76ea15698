"""/coverage-requirements: daily demands per shift type, with eligibility.

PUT replaces the whole requirement.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response, status

from resched.api.deps import ActorDep, PageDep, SessionFactoryDep
from resched.api.schemas import CoverageIn, CoverageOut, PageOut
from resched.api.versions import IfMatchDep, saved_version, tag
from resched.http.auth import require
from resched.http.params import MAX_ID
from resched.services import coverage
from resched.services.permissions import Permission
from resched.services.versions import Edited, version_of

router = APIRouter(prefix="/coverage-requirements", tags=["coverage"])
# Everyone signed in reads; changing needs program:write.
READ = [require(Permission.PROGRAM_READ)]
WRITE = [require(Permission.PROGRAM_WRITE)]
CoverageId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("", dependencies=READ)
def list_coverage_requirements(factory: SessionFactoryDep, page: PageDep) -> PageOut[CoverageOut]:
    result = coverage.list_coverage_requirements(
        factory=factory, limit=page.limit, offset=page.offset
    )
    return PageOut[CoverageOut].of(result, CoverageOut.of)


@router.post("", status_code=status.HTTP_201_CREATED, dependencies=WRITE)
def create_coverage_requirement(
    body: CoverageIn, factory: SessionFactoryDep, actor: ActorDep
) -> CoverageOut:
    created = coverage.create_coverage_requirement(
        factory=factory, coverage=body.to_core(), actor=actor
    )
    return CoverageOut.of(created)


@router.get("/{coverage_id}", dependencies=READ)
def get_coverage_requirement(
    coverage_id: CoverageId, factory: SessionFactoryDep, response: Response
) -> CoverageOut:
    """With the rule's ETag, for If-Match on PUT and DELETE."""
    tag(response, version_of(factory=factory, kind=Edited.COVERAGE, item_id=coverage_id))
    found = coverage.get_coverage_requirement(factory=factory, coverage_id=coverage_id)
    return CoverageOut.of(found)


@router.put("/{coverage_id}", dependencies=WRITE)
def replace_coverage_requirement(
    coverage_id: CoverageId,
    body: CoverageIn,
    factory: SessionFactoryDep,
    actor: ActorDep,
    version: IfMatchDep,
    response: Response,
) -> CoverageOut:
    updated = coverage.update_coverage_requirement(
        factory=factory,
        coverage_id=coverage_id,
        coverage=body.to_core(),
        actor=actor,
        expected_version=version,
    )
    tag(response, saved_version(version))
    return CoverageOut.of(updated)


@router.delete(
    "/{coverage_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=WRITE,
)
def delete_coverage_requirement(
    coverage_id: CoverageId, factory: SessionFactoryDep, actor: ActorDep, version: IfMatchDep
) -> None:
    coverage.delete_coverage_requirement(
        factory=factory, coverage_id=coverage_id, actor=actor, expected_version=version
    )
