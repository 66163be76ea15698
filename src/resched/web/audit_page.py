"""The audit trail, searchable, for administrators: who did what, when, from where."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.datastructures import URL

from resched.core.errors import Invalid
from resched.db.records import AuditEvent, Page
from resched.http.auth import require
from resched.http.database import request_factory
from resched.services.audit import AuditSearch, search_audit_events
from resched.services.common import DEFAULT_PAGE_SIZE
from resched.services.permissions import Permission
from resched.web.local_time import page_zone
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
        zone=page_zone(request).zone,
    )
    page = None
    if not errors:
        try:
            page = search_audit_events(
                factory=request_factory(request),
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
        "rows": [_row(event) for event in page.items] if page is not None else [],
        "filters": filters,
        "errors": errors,
        "page": page,
        "previous_url": _page_url(request, offset - DEFAULT_PAGE_SIZE) if offset > 0 else None,
        "next_url": _page_url(request, offset + DEFAULT_PAGE_SIZE) if has_more else None,
        "section": "audit",
        "program_name": None,
    }


@dataclass(frozen=True, slots=True)
class Change:
    field: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class EventRow:
    """An event as the page shows it: its action in the one ``entity.verb`` scheme, a sentence,
    and the fields that changed (old -> new) instead of the raw before/after records."""

    event: AuditEvent
    action: str
    sentence: str
    changes: tuple[Change, ...]


# Verbs of actions, completing "boss ... user 7"; the rest read "boss: person.archive on ...".
VERBS = {
    "create": "created",
    "update": "changed",
    "delete": "deleted",
    "archive": "archived",
    "publish": "published",
    "submit": "submitted",
    "cancel": "cancelled",
    "user.create": "created",
    "user.role": "changed the role of",
    "user.activate": "activated",
    "user.deactivate": "deactivated",
    "user.password": "changed the password of",
    "user.password_reset": "reset the password of",
    "auth.login": "signed in as",
    "auth.logout": "signed out as",
    "auth.login_failed": "failed to sign in as",
}
MAX_CHANGES = 12
MAX_VALUE = 60


def action_name(event: AuditEvent) -> str:
    """ "person.create" for a "create" stored beside the entity "person"; "user.role" as is."""
    return event.action if "." in event.action else f"{event.entity}.{event.action}"


def _row(event: AuditEvent) -> EventRow:
    thing = f"{event.entity} {event.entity_id}".strip()
    verb = VERBS.get(event.action)
    if verb is None:
        sentence = f"{event.actor}: {action_name(event)} on {thing}."
    else:
        sentence = f"{event.actor} {verb} {thing}."
    return EventRow(event, action_name(event), sentence, _changes(event.before, event.after))


def _changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> tuple[Change, ...]:
    """The fields whose value differs, in the record's order; "—" for a value absent on one
    side (a created or deleted record lists its fields)."""
    old, new = before or {}, after or {}
    fields = [*old, *(k for k in new if k not in old)]
    changed = [
        Change(f, _value(old[f]) if f in old else "—", _value(new[f]) if f in new else "—")
        for f in fields
        if old.get(f, _ABSENT) != new.get(f, _ABSENT)
    ]
    if len(changed) > MAX_CHANGES:
        rest = len(changed) - MAX_CHANGES
        changed = [*changed[:MAX_CHANGES], Change(f"and {rest} more", "", "")]
    return tuple(changed)


_ABSENT = object()


def _value(value: Any) -> str:
    if value is None:
        return "none"
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def _page_url(request: Request, offset: int) -> str:
    return str(
        URL(request.url.path).include_query_params(
            **{**dict(request.query_params), "offset": str(max(offset, 0))}
        )
    )
