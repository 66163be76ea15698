"""The Today page: everyone's landing page once a schedule is published. Who is on which
shift now, today and tonight (with tel: links to their phone and pager); coordinators also
see what needs them: open requests, the next four weeks' gaps and findings, running jobs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from resched.http.auth import require
from resched.http.clock import request_now
from resched.http.database import request_factory
from resched.services.pages.today import load_today
from resched.services.permissions import Permission, Principal
from resched.web.export_menu import schedule_exports
from resched.web.templating import templates

router = APIRouter(include_in_schema=False)


@router.get("/today", response_class=HTMLResponse)
def today_page(
    request: Request, principal: Annotated[Principal, require(Permission.SCHEDULE_READ)]
) -> Response:
    coordinator = principal.can(Permission.SCHEDULE_WRITE)
    view = load_today(
        factory=request_factory(request), now=request_now(request), coordinator=coordinator
    )
    context = {
        "view": view,
        "program_name": view.program_name,
        "section": "today",
        "can_requests": principal.can(Permission.REQUESTS_MANAGE),
        "can_jobs": principal.can(Permission.JOBS_MANAGE),
        "exports": schedule_exports(
            request,
            version_id=view.version_id,
            draft=False,
            start=view.now.date(),
            end=view.now.date(),
            month=view.now.date(),
            files=coordinator,
        ),
    }
    return templates.TemplateResponse(request, "today/page.html", context)
