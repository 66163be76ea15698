"""/schedules: stored schedule versions, their interchange export and compliance report, and
importing a document as a new draft.

``start``/``end`` (inclusive local dates) narrow a range; each defaults to the version's first
or last assignment. The check and the export include 27 days of look-back from the published
record (resched.services.schedules), so validating the export gives the same report.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from resched.api.deps import ActorDep, PageDep, SessionFactoryDep
from resched.api.documents import SCHEDULE_BODY, read_document
from resched.api.downloads import xlsx_ok
from resched.api.schemas import PageOut
from resched.api.schemas.common import Code, Day
from resched.api.schemas.schedules import CandidatesOut, ImportOut, ScheduleVersionOut
from resched.core.model import ScheduleStatus
from resched.http.auth import require
from resched.http.downloads import attachment
from resched.http.params import MAX_ID
from resched.services import candidates, schedule_import, schedules
from resched.services.calendar_feed.csv_export import assignments_csv
from resched.services.exports.shift_grid import shift_grid_xlsx, year_xlsx
from resched.services.permissions import Permission, Principal, absence_visibility

router = APIRouter(prefix="/schedules", tags=["schedules"])
# Everyone signed in reads schedules and their compliance; importing (a draft) is the
# coordinator's schedule:write.
WRITE = [require(Permission.SCHEDULE_WRITE)]
# Residents and faculty read published (and archived) versions; drafts are the coordinators'.
Reader = Annotated[Principal, require(Permission.SCHEDULE_READ)]
VersionId = Annotated[int, Path(ge=1, le=MAX_ID)]
OptionalDay = Annotated[Day | None, Query(description="YYYY-MM-DD, inclusive")]


@router.get("")
def list_schedules(
    reader: Reader,
    factory: SessionFactoryDep,
    page: PageDep,
    academic_year_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    status: ScheduleStatus | None = None,
) -> PageOut[ScheduleVersionOut]:
    """Versions, newest first, with assignment counts and date spans."""
    result = schedules.list_schedules(
        factory=factory,
        limit=page.limit,
        offset=page.offset,
        academic_year_id=academic_year_id,
        status=status,
        include_drafts=_drafts(reader),
    )
    return PageOut[ScheduleVersionOut].of(result, ScheduleVersionOut.of)


@router.post("/import", status_code=201, openapi_extra=SCHEDULE_BODY, dependencies=WRITE)
async def import_schedule(
    request: Request,
    factory: SessionFactoryDep,
    actor: ActorDep,
    label: Annotated[str, Query(max_length=120)] = "",
) -> ImportOut:
    """A resched.schedule/v1 document stored as a new draft version of the academic year that
    holds its range; ``notes`` list what the import ignored or replaced."""
    document = await read_document(request)
    result = await run_in_threadpool(
        lambda: schedule_import.import_schedule(
            factory=factory, document=document, label=label, actor=actor
        )
    )
    return ImportOut.of(result.version, result.notes)


@router.get("/{version_id}")
def get_schedule(
    version_id: VersionId, reader: Reader, factory: SessionFactoryDep
) -> ScheduleVersionOut:
    version = schedules.get_schedule(
        factory=factory, version_id=version_id, include_drafts=_drafts(reader)
    )
    return ScheduleVersionOut.of(version)


@router.get(
    "/{version_id}/interchange",
    response_description="A resched.schedule/v1 document (INTERCHANGE.md).",
)
def export_schedule(
    version_id: VersionId,
    reader: Reader,
    factory: SessionFactoryDep,
    start: OptionalDay = None,
    end: OptionalDay = None,
) -> JSONResponse:
    document: dict[str, Any] = schedules.export_schedule(
        factory=factory,
        version_id=version_id,
        start=start,
        end=end,
        include_drafts=_drafts(reader),
        absences=absence_visibility(reader),
    )
    return JSONResponse(document)


@router.get(
    "/{version_id}/assignments.csv",
    response_class=Response,
    response_description="text/csv: date, person code and name, shift code and name, local "
    "start and end, source; formula-like cells neutralised.",
)
def export_assignments_csv(
    version_id: VersionId,
    reader: Reader,
    factory: SessionFactoryDep,
    start: OptionalDay = None,
    end: OptionalDay = None,
) -> Response:
    exported = assignments_csv(
        factory=factory,
        version_id=version_id,
        start=start,
        end=end,
        include_drafts=_drafts(reader),
    )
    disposition = f'attachment; filename="{exported.filename}"'
    return Response(
        exported.text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": disposition},
    )


XLSX_GRID = xlsx_ok(
    'An xlsx workbook (attachment): people x days, shift codes joined with " + ", frozen '
    'headers, print setup, a "Legend" sheet; formula-like text neutralised.'
)


@router.get(
    "/{version_id}/grid.xlsx",
    response_class=Response,
    responses=XLSX_GRID,
    summary="Export a shift grid as xlsx",
)
def export_grid_xlsx(
    version_id: VersionId,
    reader: Reader,
    factory: SessionFactoryDep,
    start: OptionalDay = None,
    end: OptionalDay = None,
) -> Response:
    """One sheet ("YYYY-MM" for a whole month) over ``start``..``end``; without them the
    month of the version's first shift, with one of them the rest of its month. 404 for an
    unknown version or a draft the reader may not see; 422 for an end before the start or a
    range over two years."""
    exported = shift_grid_xlsx(
        factory=factory,
        version_id=version_id,
        start=start,
        end=end,
        include_drafts=_drafts(reader),
    )
    return attachment(exported)


@router.get(
    "/{version_id}/year.xlsx",
    response_class=Response,
    responses=XLSX_GRID,
    summary="Export a version's whole year as xlsx",
)
def export_year_xlsx(version_id: VersionId, reader: Reader, factory: SessionFactoryDep) -> Response:
    """The version's academic year, one sheet per block (named by its label) in the grid's
    layout. 404 for an unknown version or a draft the reader may not see."""
    exported = year_xlsx(factory=factory, version_id=version_id, include_drafts=_drafts(reader))
    return attachment(exported)


@router.get(
    "/{version_id}/compliance",
    response_description="The resched.compliance/v1 report (INTERCHANGE.md).",
)
def check_schedule(
    version_id: VersionId,
    reader: Reader,
    factory: SessionFactoryDep,
    start: OptionalDay = None,
    end: OptionalDay = None,
) -> JSONResponse:
    checked = schedules.check_schedule(
        factory=factory,
        version_id=version_id,
        start=start,
        end=end,
        include_drafts=_drafts(reader),
        absences=absence_visibility(reader),
    )
    return JSONResponse(checked.report())


@router.get("/{version_id}/candidates")
def find_candidates(
    version_id: VersionId,
    reader: Reader,
    factory: SessionFactoryDep,
    person: Annotated[Code, Query(description="code of the person giving the shift away")],
    day: Annotated[Day, Query(description="YYYY-MM-DD: the date the shift starts")],
    shift: Annotated[Code, Query(description="shift type code")],
) -> CandidatesOut:
    """Who could take the person's shift that day: eligible, available, and creating no new
    violation, fewest calls, weekend and holiday shifts so far first."""
    found = candidates.find_candidates(
        factory=factory,
        version_id=version_id,
        person=person,
        day=day,
        shift=shift,
        include_drafts=_drafts(reader),
        absences=absence_visibility(reader),
    )
    return CandidatesOut.of(found)


def _drafts(reader: Principal) -> bool:
    return reader.can(Permission.SCHEDULE_DRAFTS)
