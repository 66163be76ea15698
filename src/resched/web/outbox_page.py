"""The mail outbox, for administrators: every mail the app queued, whether it went, and why
not. In the embedded mode (no SMTP host) mail is never sent and this page is where it is
read."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from resched.http.auth import require
from resched.http.database import request_factory
from resched.http.params import Offset
from resched.services.common import DEFAULT_PAGE_SIZE
from resched.services.notices.outbox import OutboxFilter, list_outbox
from resched.services.permissions import Permission
from resched.web.templating import templates

router = APIRouter(include_in_schema=False, prefix="/admin")
FILTERS = (
    (OutboxFilter.ALL, "All"),
    (OutboxFilter.UNSENT, "Not sent"),
    (OutboxFilter.SENT, "Sent"),
)


@router.get("/outbox", dependencies=[require(Permission.MAIL_READ)])
def outbox_page(
    request: Request,
    status: Annotated[OutboxFilter, Query()] = OutboxFilter.ALL,
    offset: Offset = 0,
) -> Response:
    page = list_outbox(
        factory=request_factory(request),
        limit=DEFAULT_PAGE_SIZE,
        offset=offset,
        status=status,
    )
    base = f"/admin/outbox?status={status.value}&offset="
    more = offset + DEFAULT_PAGE_SIZE < page.total
    context = {
        "page": page,
        "status": status,
        "filters": FILTERS,
        "embedded": not request.app.state.settings.smtp_host,
        "previous_url": f"{base}{max(offset - DEFAULT_PAGE_SIZE, 0)}" if offset else None,
        "next_url": f"{base}{offset + DEFAULT_PAGE_SIZE}" if more else None,
        "section": "outbox",
        "program_name": None,
    }
    return templates.TemplateResponse(request, "admin/outbox.html", context)
