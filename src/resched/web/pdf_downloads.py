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

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from resched.core.errors import Invalid
from resched.http.auth import require
from resched.http.clock import request_now
from resched.http.params import MAX_ID, url_number
from resched.services.pdf_reports import (
    MEDIA_TYPE,
    PdfFile,
    call_schedule_pdf,
    compliance_report_pdf,
)
from resched.services.permissions import Permission, Principal, absence_visibility

router = APIRouter(include_in_schema=False)
Text = Annotated[str | None, Query(max_length=40)]
Reader = Annotated[Principal, require(Permission.SCHEDULE_READ)]


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
        factory=request.app.state.session_factory,
        now=request_now(request),
        version_id=version_id(version),
        start=day("start", start, month_ok=False),
        end=day("end", end, month_ok=False),
        include_drafts=principal.can(Permission.SCHEDULE_DRAFTS),
        absences=absence_visibility(principal),
    )
    return pdf_response(made)


@router.get("/schedule/print.pdf")
def call_schedule_download(
    request: Request, principal: Reader, month: Text = None, version: Text = None
) -> Response:
    made = call_schedule_pdf(
        factory=request.app.state.session_factory,
        now=request_now(request),
        month=day("month", month, month_ok=True),
        version_id=version_id(version),
        include_drafts=principal.can(Permission.SCHEDULE_DRAFTS),
        absences=absence_visibility(principal),
    )
    return pdf_response(made)


def pdf_response(made: PdfFile) -> Response:
    # The name went through safe_filename: no quote or line break can leave the header.
    disposition = f'attachment; filename="{made.filename}"'
    return Response(
        made.content, media_type=MEDIA_TYPE, headers={"Content-Disposition": disposition}
    )


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
