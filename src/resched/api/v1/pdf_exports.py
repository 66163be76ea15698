"""/schedules/{id}/compliance.pdf and /schedules/{id}/calls.pdf: a stored version's compliance
report (for accreditation site visits) and its month call schedule as PDF files.

Everyone signed in may read a published version's; drafts are the coordinators' (a hidden
draft answers 404 like an unknown id), and absences show only where the reader may see them.
The range is capped at two years (422 naming ``end``), as every compliance check is; the
routes are sync, so FastAPI runs them in its thread pool and the event loop stays free.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from resched.api.schemas.common import Day
from resched.core.errors import Invalid
from resched.http.auth import require
from resched.http.clock import request_now
from resched.http.database import request_factory
from resched.http.downloads import attachment
from resched.http.params import MAX_ID
from resched.services.pdf_reports import (
    MEDIA_TYPE,
    call_schedule_pdf,
    compliance_report_pdf,
)
from resched.services.permissions import Permission, Principal, absence_visibility

router = APIRouter(prefix="/schedules", tags=["schedules"])
Reader = Annotated[Principal, require(Permission.SCHEDULE_READ)]
VersionId = Annotated[int, Path(ge=1, le=MAX_ID)]
OptionalDay = Annotated[Day | None, Query(description="YYYY-MM-DD, inclusive")]
MONTH = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
Month = Annotated[
    str | None,
    Query(
        pattern=MONTH,
        description="YYYY-MM (default: this month if the version holds shifts in it, else "
        "the month of its first shift)",
    ),
]


def _pdf(description: str) -> dict[int | str, dict[str, Any]]:
    return {
        200: {
            "description": description,
            "content": {MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}},
            "headers": {
                "Content-Disposition": {
                    "description": 'attachment; filename="..." (letters, digits, . - _ only)',
                    "schema": {"type": "string"},
                }
            },
        }
    }


@router.get(
    "/{version_id}/compliance.pdf",
    response_class=Response,
    responses=_pdf(
        "application/pdf: summary (counts by rule and severity), hours per resident chart, "
        "every rule in plain words with its findings."
    ),
)
def compliance_pdf(
    request: Request,
    version_id: VersionId,
    reader: Reader,
    start: OptionalDay = None,
    end: OptionalDay = None,
) -> Response:
    """The compliance report of the version over ``start``..``end`` (each defaults to the
    version's first or last shift) as a PDF; 422 for an end before the start or a range
    over two years."""
    made = compliance_report_pdf(
        factory=request_factory(request),
        now=request_now(request),
        version_id=version_id,
        start=start,
        end=end,
        include_drafts=reader.can(Permission.SCHEDULE_DRAFTS),
        absences=absence_visibility(reader),
    )
    return attachment(made)


@router.get(
    "/{version_id}/calls.pdf",
    response_class=Response,
    responses=_pdf(
        "application/pdf: the month's on-call shifts day by day on one landscape page, "
        "with the legend of the shift codes."
    ),
)
def calls_pdf(
    request: Request, version_id: VersionId, reader: Reader, month: Month = None
) -> Response:
    """The month's call schedule of the version, as the printable page shows it."""
    made = call_schedule_pdf(
        factory=request_factory(request),
        now=request_now(request),
        month=_month(month),
        version_id=version_id,
        include_drafts=reader.can(Permission.SCHEDULE_DRAFTS),
        absences=absence_visibility(reader),
    )
    return attachment(made)


def _month(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(f"{value}-01")
    except ValueError:  # the pattern lets year 0000 through
        raise Invalid(
            f"month: expected a month YYYY-MM, got {value!r}", details={"field": "month"}
        ) from None
