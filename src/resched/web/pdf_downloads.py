"""The "Download PDF" links of the Compliance page and the printable call schedule.

Same parameters and permissions as the pages they sit on: the compliance report of
``version`` over ``start``..``end`` (the page's filters narrow what the page shows; the report
is the whole schedule's, as a site visitor reads it), the call schedule of ``month`` from
``version``. A value that is not a version id, a date or a month is answered with a 422
naming the parameter, never a PDF of something else.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel

from resched.core.errors import Invalid
from resched.http.auth import request_actor, require
from resched.http.clock import request_now
from resched.http.database import request_factory
from resched.http.downloads import attachment
from resched.http.jobs import job_queue
from resched.http.params import MAX_ID, url_number
from resched.services import jobs
from resched.services.jobs import JobQueue
from resched.services.jobs.kinds import JobKind
from resched.services.pdf_reports import (
    call_schedule_pdf,
    compliance_report_pdf,
)
from resched.services.permissions import Permission, Principal, absence_visibility

router = APIRouter(include_in_schema=False)
Text = Annotated[str | None, Query(max_length=40)]
Reader = Annotated[Principal, require(Permission.SCHEDULE_READ)]
Writer = Annotated[Principal, require(Permission.SCHEDULE_WRITE)]  # who submits jobs


class ReportJobForm(BaseModel):
    version_id: int
    start: str = ""
    end: str = ""


@router.get("/compliance/report.pdf")
def compliance_report_download(
    request: Request,
    principal: Reader,
    version: Text = None,
    start: Text = None,
    end: Text = None,
) -> Response:
    """Sync on purpose: FastAPI runs it in the thread pool, so a long check and its
    rendering never hold the event loop."""
    made = compliance_report_pdf(
        factory=request_factory(request),
        now=request_now(request),
        version_id=version_id(version),
        start=day("start", start, month_ok=False),
        end=day("end", end, month_ok=False),
        include_drafts=principal.can(Permission.SCHEDULE_DRAFTS),
        absences=absence_visibility(principal),
    )
    return attachment(made)


@router.post("/compliance/report-job")
def compliance_report_job(
    request: Request,
    principal: Writer,
    queue: Annotated[JobQueue, Depends(job_queue)],
    fields: Annotated[ReportJobForm, Form()],
) -> Response:
    """The Compliance page's "Make the PDF in the background": a ``compliance_pdf`` job of
    the page's version and range (checked as the API checks it), then the Jobs page."""
    jobs.submit_job(
        factory=request_factory(request),
        queue=queue,
        kind=JobKind.COMPLIANCE_PDF,
        parameters={
            "version_id": fields.version_id,
            "start": fields.start or None,
            "end": fields.end or None,
        },
        actor=request_actor(request, principal),
        requested_by=principal.user_id,
    )
    return RedirectResponse("/jobs", status_code=303)


@router.get("/schedule/print.pdf")
def call_schedule_download(
    request: Request, principal: Reader, month: Text = None, version: Text = None
) -> Response:
    made = call_schedule_pdf(
        factory=request_factory(request),
        now=request_now(request),
        month=day("month", month, month_ok=True),
        version_id=version_id(version),
        include_drafts=principal.can(Permission.SCHEDULE_DRAFTS),
        absences=absence_visibility(principal),
    )
    return attachment(made)


def version_id(value: str | None) -> int | None:
    if not value:
        return None
    number = url_number(value)
    if number is None or not 1 <= number <= MAX_ID:
        raise Invalid(
            f"version: expected a schedule version id, got {value!r}", details={"field": "version"}
        )
    return number


def day(field: str, value: str | None, *, month_ok: bool) -> dt.date | None:
    """A date YYYY-MM-DD; with ``month_ok`` also a month YYYY-MM (its first day)."""
    if not value:
        return None
    text = value.strip()
    if month_ok and len(text) == 7:
        text += "-01"
    if len(text) == 10:  # fromisoformat alone also takes 20260701 or 2026-W27-3
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    wanted = "a date YYYY-MM-DD or a month YYYY-MM" if month_ok else "a date YYYY-MM-DD"
    raise Invalid(f"{field}: expected {wanted}, got {value!r}", details={"field": field})
