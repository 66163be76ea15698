"""The audit trail, searchable, for administrators: who did what, when, from where."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.datastructures import URL

from resched.core.errors import Invalid
from resched.db.records import AuditEvent, Page
from resched.http.auth import require
from resched.services.audit import AuditSearch, search_audit_events
from resched.services.common import DEFAULT_PAGE_SIZE
from resched.services.permissions import Permission
from resched.web.templating import templates

router = APIRouter(include_in_schema=False, prefix="/admin")
Filter = Annotated[str, Query(max_length=80)]


def _day(value: str, name: str, errors: dict[str, str]) -> dt.date | None:
    """A date field of a plain GET form: empty is "no limit"; garbage is a field error."""
    if not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        errors[name] = "Enter a date as YYYY-MM-DD."
        return None


@router.get("/audit", dependencies=[require(Permission.AUDIT_READ)])
def audit_page(
    request: Request,
    actor: Filter = "",
    action: Filter = "",
    entity: Filter = "",
    first: Annotated[str, Query(alias="from", max_length=20)] = "",
    last: Annotated[str, Query(alias="to", max_length=20)] = "",
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Response:
    errors: dict[str, str] = {}
    search = AuditSearch(
        actor=actor.strip() or None,
        action=action.strip() or None,
        entity=entity.strip() or None,
        first_day=_day(first, "from", errors),
        last_day=_day(last, "to", errors),
    )
    page = None
    if not errors:
        try:
            page = search_audit_events(
                factory=request.app.state.session_factory,
                search=search,
                limit=DEFAULT_PAGE_SIZE,
                offset=offset,
            )
        except Invalid as exc:
            errors[str(exc.details.get("field", "to"))] = "The last day is before the first day."
    filters = {"actor": actor, "action": action, "entity": entity, "from": first, "to": last}
    context = _context(request, filters, errors, page, offset)
    status = 422 if errors else 200
    return templates.TemplateResponse(request, "admin/audit.html", context, status_code=status)


def _context(
    request: Request,
    filters: dict[str, str],
    errors: dict[str, str],
    page: Page[AuditEvent] | None,
    offset: int,
) -> dict[str, Any]:
    has_more = page is not None and offset + DEFAULT_PAGE_SIZE < page.total
    return {
        "filters": filters,
        "errors": errors,
        "page": page,
        "previous_url": _page_url(request, offset - DEFAULT_PAGE_SIZE) if offset > 0 else None,
        "next_url": _page_url(request, offset + DEFAULT_PAGE_SIZE) if has_more else None,
        "section": "audit",
        "program_name": None,
    }


def _page_url(request: Request, offset: int) -> str:
    return str(
        URL(request.url.path).include_query_params(
            **{**dict(request.query_params), "offset": str(max(offset, 0))}
        )
    )
