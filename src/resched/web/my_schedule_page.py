"""My schedule: "what am I doing?" (UI.md) for the signed-in person at ``/me``, and for a
coordinator anyone's at ``/people/{id}/schedule``. The upcoming shifts, a month calendar
(``?month=YYYY-MM``), leave, hours this week and the four-week average, requests.

Absences and requests are the person's and the coordinators' (services/permissions.py), so
another resident's schedule page is refused in words; the published shifts themselves stay on
the schedule pages everyone reads.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from resched.core.errors import Forbidden, Invalid, NotFound
from resched.core.model import AbsenceType
from resched.http.auth import require
from resched.http.clock import request_now
from resched.http.database import request_factory
from resched.http.params import ItemId
from resched.services.calendar_feed.tokens import feed_status
from resched.services.leave.queue import my_leave
from resched.services.pages.my_schedule import load_my_schedule
from resched.services.permissions import Permission, Principal
from resched.web.absence_forms import TYPES
from resched.web.export_menu import schedule_exports
from resched.web.templating import templates

router = APIRouter(include_in_schema=False)
Reader = Annotated[Principal, require(Permission.SCHEDULE_READ)]
MonthText = Annotated[str | None, Query(max_length=40)]
_MONTH = re.compile(r"(\d{4})-(\d{2})")
FIRST_YEAR, LAST_YEAR = 1900, 2999
LEAVE_FIELD_IDS = {"start": "leave-start", "end": "leave-end", "type": "leave-type"}
LEAVE_FIELD_IDS |= {"note": "leave-note", "person_id": "leave-start"}
LEAVE_NOTICES = {
    "leave-requested": "Your leave request was sent: a coordinator decides it."
}  # a calendar needs its neighbouring weeks to exist


def parse_month(value: str | None) -> dt.date | None:
    """``2026-10`` -> 1 Oct 2026; empty -> None (this month); anything else -> Invalid naming
    the field (a 422 page, never a 500)."""
    if not value:
        return None
    found = _MONTH.fullmatch(value)
    if found:
        year, month = int(found[1]), int(found[2])
        if FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12:
            return dt.date(year, month, 1)
    raise Invalid(
        f"month: expected a month YYYY-MM (like 2026-10), got {value!r}",
        details={"field": "month"},
    )


@router.get("/me", response_class=HTMLResponse)
def my_schedule_page(request: Request, principal: Reader, month: MonthText = None) -> Response:
    chosen = parse_month(month)
    if principal.person_id is None:
        context = {"view": None, "own": True, "section": "my-schedule", "program_name": None}
        return templates.TemplateResponse(request, "my_schedule/page.html", context)
    return _render(request, principal, principal.person_id, chosen)


@router.get("/people/{person_id:int}/schedule", response_class=HTMLResponse)
def person_schedule_page(
    request: Request, principal: Reader, person_id: ItemId, month: MonthText = None
) -> Response:
    chosen = parse_month(month)
    if principal.person_id != person_id and not principal.can(Permission.ABSENCES_MANAGE):
        raise Forbidden(
            "You can only see your own schedule here: it shows absences and requests, which "
            "are the person's and the coordinators'. Everyone's shifts are on the schedule pages.",
            details={"field": "person_id"},
        )
    return _render(request, principal, person_id, chosen)


def _render(
    request: Request,
    principal: Principal,
    person_id: int,
    month: dt.date | None,
    leave_form: dict[str, str] | None = None,
    leave_errors: dict[str, str] | None = None,
    status: int = 200,
    feed: dict[str, object] | None = None,
) -> Response:
    try:
        view = load_my_schedule(
            factory=request_factory(request),
            person_id=person_id,
            now=request_now(request),
            month=month,
        )
    except NotFound as exc:
        raise HTTPException(404, detail=exc.message) from exc
    own = principal.person_id == person_id
    context = {
        "view": view,
        "own": own,
        "base_path": "/me" if own else f"/people/{person_id}/schedule",
        "section": "my-schedule" if own else "people",
        "program_name": view.program_name,
        "leave": my_leave(factory=request_factory(request), person_id=person_id),
        "leave_form": leave_form or {"type": AbsenceType.VACATION.value},
        "leave_errors": leave_errors or {},
        "leave_types": TYPES,
        "leave_ids": LEAVE_FIELD_IDS,
        "notice": LEAVE_NOTICES.get(request.query_params.get("notice", "")),
        "feed": feed or _feed(request, principal, None) if own else None,
        # The month's call schedule to print; the data files are on the Schedule page.
        "exports": schedule_exports(
            request,
            version_id=None,
            draft=False,
            start=view.month,
            end=view.month,
            month=view.month,
            files=False,
        ),
    }
    return templates.TemplateResponse(request, "my_schedule/page.html", context, status_code=status)


def _feed(
    request: Request, principal: Principal, token: str | None, notice: str = ""
) -> dict[str, object]:
    """The Calendar section: whether a feed is live, and its address right after making it
    (the only time the raw token is on a page)."""
    status = feed_status(factory=request_factory(request), user_id=principal.user_id)
    urls = None
    if token is not None:
        https = str(request.url_for("calendar_feed", token=token))
        urls = {"https": https, "webcal": "webcal://" + https.split("://", 1)[1]}
    return {"status": status, "urls": urls, "notice": notice}


def render_calendar_section(
    request: Request, principal: Principal, token: str | None, notice: str = ""
) -> Response:
    """My schedule right after a feed was made (its address shown once) or revoked."""
    if principal.person_id is None:
        raise Invalid(
            "your account is not linked to a person of the program", details={"field": "person"}
        )
    feed = _feed(request, principal, token, notice)
    return _render(request, principal, principal.person_id, None, feed=feed)


def render_my_schedule(
    request: Request,
    principal: Principal,
    leave_form: dict[str, str],
    leave_errors: dict[str, str],
    status: int,
) -> Response:
    """My schedule with the leave form as typed and its errors (resched.web.my_leave)."""
    assert principal.person_id is not None
    return _render(request, principal, principal.person_id, None, leave_form, leave_errors, status)
