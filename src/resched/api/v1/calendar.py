"""/calendar: the program's shifts as an iCalendar feed for coordinators (everyone's, or one
shift type's, or a rotation's people), signed in as any API call. Personal subscriptions with
a secret address are on My schedule (``/calendar/{token}.ics``, resched.web.calendar_feed_page).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from resched.api.deps import SessionFactoryDep
from resched.api.responses import error_responses
from resched.api.schemas.common import Code
from resched.core.export_safety import safe_filename
from resched.http.auth import require
from resched.http.clock import request_now
from resched.services.calendar_feed.feed import program_feed
from resched.services.permissions import Permission

router = APIRouter(prefix="/calendar", tags=["calendar"])
# Everyone's shifts with names, for the people who run the schedule.
COORDINATORS = [require(Permission.SCHEDULE_DRAFTS)]


@router.get(
    "/program.ics",
    dependencies=COORDINATORS,
    response_class=Response,
    responses=error_responses(404),  # an unknown shift type or rotation code
    response_description="text/calendar (RFC 5545): published shifts, 30 days back to the end "
    "of published data, with names; removed shifts as cancelled events.",
)
def program_calendar(
    request: Request,
    factory: SessionFactoryDep,
    shift: Annotated[Code | None, Query(description="only this shift type")] = None,
    rotation: Annotated[Code | None, Query(description="only people on this rotation")] = None,
) -> Response:
    body = program_feed(
        factory=factory,
        now=request_now(request),
        shift_code=shift or "",
        rotation_code=rotation or "",
    )
    stem = "-".join(["program-shifts", *(c for c in (shift, rotation) if c)])
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{safe_filename(stem, "ics")}"'},
    )
