"""/compliance/validate: an interchange document in, the compliance report out.

The same reader and validator as ``resched validate``: 422 names each offending path
(``assignments[17].shift``), bodies over 20 MB are refused with 413 before they are read in
full, and what the reader ignored travels in ``X-Resched-Note`` headers, never in the report.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from resched.api.documents import SCHEDULE_BODY, read_document, with_notes
from resched.core.interchange import parse_schedule_with_notes, write_report
from resched.core.rules import ScheduleContext, check_all
from resched.http.auth import require
from resched.services.permissions import Permission

router = APIRouter(prefix="/compliance", tags=["compliance"])


@router.post(
    "/validate",
    openapi_extra=SCHEDULE_BODY,
    response_description="The resched.compliance/v1 report (INTERCHANGE.md).",
    # Pure checking, nothing stored: anyone signed in may ask whether a schedule is legal.
    dependencies=[require(Permission.SCHEDULE_READ)],
)
async def validate_document(request: Request) -> JSONResponse:
    document = await read_document(request)
    # A year of assignments takes a noticeable fraction of a second: off the event loop.
    return await run_in_threadpool(_validate, document)


def _validate(document: dict[str, object]) -> JSONResponse:
    parsed = parse_schedule_with_notes(document)
    schedule = parsed.schedule
    findings = check_all(ScheduleContext(schedule))
    report = write_report(findings, schedule.range, schedule.people, schedule.assignments)
    return with_notes(JSONResponse(report), parsed.notes)
