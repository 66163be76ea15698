"""/academic-years/{id}/plan: the rotation plan of a year as data, and one cell changed.

GET answers the year's plan of record (the published version, else for those who see drafts
the newest draft), or ``?version=`` one version of the year. PUT ``/plan/cells`` changes or
locks one cell (resident, block, half) after checking it against capacities, yearly
requirements, prerequisites, the not-adjacent rule and approved leave; ``dry_run`` only
checks. Residents and faculty read the published plan; changing it needs schedule:write.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from resched.api.deps import ActorDep, SessionFactoryDep
from resched.api.downloads import xlsx_ok
from resched.api.schemas.plan import CellEditOut, CellIn, YearPlanOut
from resched.http.auth import require
from resched.http.downloads import attachment
from resched.http.params import MAX_ID
from resched.services import rotation_plan
from resched.services.exports.plan import plan_xlsx
from resched.services.permissions import Permission, Principal

router = APIRouter(prefix="/academic-years", tags=["rotation plan"])
WRITE = [require(Permission.SCHEDULE_WRITE)]
Reader = Annotated[Principal, require(Permission.SCHEDULE_READ)]
YearId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("/{academic_year_id}/plan")
def get_plan(
    academic_year_id: YearId,
    reader: Reader,
    factory: SessionFactoryDep,
    version: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> YearPlanOut:
    """Blocks, and per resident (by PGY level, then name) the cells: rotation, half, lock."""
    plan = rotation_plan.get_year_plan(
        factory=factory,
        academic_year_id=academic_year_id,
        version_id=version,
        include_drafts=reader.can(Permission.SCHEDULE_DRAFTS),
    )
    return YearPlanOut.of(plan)


@router.get(
    "/{academic_year_id}/plan.xlsx",
    response_class=Response,
    summary="Export the rotation plan as xlsx",
    responses=xlsx_ok(
        "An xlsx workbook (attachment): residents x blocks, each cell the rotation code on "
        'its colour, a "Legend" sheet of rotations.'
    ),
)
def export_plan_xlsx(
    academic_year_id: YearId,
    reader: Reader,
    factory: SessionFactoryDep,
    version: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> Response:
    """The plan ``GET /plan`` answers, as a workbook; a year without a plan the reader may
    see gives the residents with empty cells. 404 for an unknown year, or a version that is
    not the year's or is a draft hidden from the reader."""
    exported = plan_xlsx(
        factory=factory,
        academic_year_id=academic_year_id,
        version_id=version,
        include_drafts=reader.can(Permission.SCHEDULE_DRAFTS),
    )
    return attachment(exported)


@router.put("/{academic_year_id}/plan/cells", dependencies=WRITE)
def put_plan_cell(
    academic_year_id: YearId, body: CellIn, factory: SessionFactoryDep, actor: ActorDep
) -> CellEditOut:
    """Checks, then (unless ``dry_run``) saves one cell; audited as ``plan.cell``."""
    if body.dry_run:
        edit = rotation_plan.check_plan_cell(
            factory=factory,
            academic_year_id=academic_year_id,
            change=body.to_core(),
            version_id=body.version_id,
        )
    else:
        edit = rotation_plan.edit_plan_cell(
            factory=factory,
            academic_year_id=academic_year_id,
            change=body.to_core(),
            actor=actor,
            reason=body.reason,
            confirm=body.confirm,
            version_id=body.version_id,
        )
    return CellEditOut.of(edit)
