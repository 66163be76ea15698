"""/schedule/changes: the change history of a schedule version (who, when, what, why), newest
first, with an Undo button on each change that can still be undone; POST
/schedule/changes/{id}/undo takes one back (services/changes/history.py: within the program's
undo window, when no later change touched the same people and days). Undoing a change on
frozen days of the published schedule needs an override reason, as any change there does.
Coordinators only (the history carries override notes such as sick calls)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from resched.core.changes.kinds import OVERRIDE_LABELS, ItemOp, OverrideReason
from resched.core.errors import DomainError, Invalid
from resched.http.auth import request_actor, require
from resched.http.clock import request_now
from resched.http.database import request_factory
from resched.http.params import MAX_ID, ItemId, Offset, url_number
from resched.services.changes.history import get_change, undo_change
from resched.services.changes.model import ChangeItem, Override
from resched.services.fairness import today_of_program
from resched.services.pages.schedule_edit import ChangeHistory, load_change_history
from resched.services.permissions import Permission, Principal
from resched.web.formtools import Submitted, refusal_status, sentence
from resched.web.templating import templates

router = APIRouter(include_in_schema=False, prefix="/schedule/changes")
Writer = Annotated[Principal, require(Permission.SCHEDULE_WRITE)]
Text = Annotated[str, Query(max_length=40)]
OVERRIDES = [("", "Choose a reason")] + [(r.value, OVERRIDE_LABELS[r]) for r in OverrideReason]
NOTICES = {"undone": "The change was undone."}


@router.get("")
def changes_page(
    request: Request, principal: Writer, version: Text = "", offset: Offset = 0, notice: Text = ""
) -> Response:
    return _page(request, _version_id(version), offset, notice=NOTICES.get(notice))


@router.post("/{change_id}/undo")
def undo(request: Request, principal: Writer, change_id: ItemId, form: Submitted) -> Response:
    factory = request_factory(request)
    change = get_change(factory=factory, change_id=change_id)  # 404 for an unknown change
    found = next((r for r in OverrideReason if r.value == form.get("override_reason")), None)
    now = request_now(request)
    try:
        undo_change(
            factory=factory,
            change_id=change_id,
            actor=request_actor(request, principal),
            now=now,
            today=today_of_program(factory=factory, now=now),
            override=Override(found, form.get("override_note", "")) if found else None,
        )
    except DomainError as exc:
        problem = f"Change {change_id} was not undone: {sentence(exc.message)}"
        return _page(request, change.version_id, 0, problem=problem, status=refusal_status(exc))
    query = urlencode({"version": change.version_id, "notice": "undone"})
    return RedirectResponse(f"/schedule/changes?{query}", status_code=303)


def _page(
    request: Request,
    version_id: int,
    offset: int,
    *,
    notice: str | None = None,
    problem: str | None = None,
    status: int = 200,
) -> Response:
    history: ChangeHistory = load_change_history(
        factory=request_factory(request),
        version_id=version_id,
        offset=offset,
        now=request_now(request),
    )
    published = history.version.status.value == "published"
    view = {"view": "week"} | ({} if published else {"version": version_id})
    context: dict[str, Any] = {
        "history": history,
        "words": lambda item: _words(history, item),
        "override_label": lambda reason: OVERRIDE_LABELS.get(reason, str(reason)),
        "overrides": OVERRIDES,
        "notice": notice,
        "problem": problem,
        "back": "/schedule?" + urlencode(view),
        "next_offset": offset + history.page.limit
        if offset + history.page.limit < history.page.total
        else None,
        "section": "schedule",
        "program_name": None,
    }
    return templates.TemplateResponse(request, "schedule/changes.html", context, status_code=status)


def _words(history: ChangeHistory, item: ChangeItem) -> str:
    """An item as a sentence: "Ana Ruiz no longer on Ward (WARD), Wed 14 Oct 2026"."""
    slot = item.slot
    who = history.names.get(slot.person, slot.person)
    what = f"{history.shifts.get(slot.shift, slot.shift)} ({slot.shift})"
    verb = "no longer on" if item.op is ItemOp.REMOVE else "now on"
    return f"{who} {verb} {what}, {slot.day.strftime('%a %-d %b %Y')}"


def _version_id(value: str) -> int:
    number = url_number(value) if value else None
    if number is None or not 1 <= number <= MAX_ID:
        raise Invalid("version: expected a schedule version id", details={"field": "version"})
    return number
