"""The inbox: a signed-in user's notices (a request decided, a swap offered, their shifts
changed, a schedule published), newest first, with links to what each is about. Marking read
is a POST form (CSRF-checked like every page form) and a redirect back: reloading the page
never sends it again."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from resched.core.changes.kinds import NoticeKind
from resched.http.auth import require
from resched.http.clock import request_now
from resched.http.database import request_factory
from resched.http.params import ItemId, Offset
from resched.services.common import DEFAULT_PAGE_SIZE
from resched.services.notices import inbox
from resched.services.permissions import Permission, Principal
from resched.web.templating import templates

router = APIRouter(include_in_schema=False)
Reader = Annotated[Principal, require(Permission.ACCOUNT_SELF)]
KIND_WORDS = {
    NoticeKind.REQUEST_DECIDED: "Request decided",
    NoticeKind.SWAP_OFFERED: "Swap offered",
    NoticeKind.SHIFT_CHANGED: "Shifts changed",
    NoticeKind.SCHEDULE_PUBLISHED: "Schedule published",
}
NOTICES = {"read": "The notice was marked read.", "all-read": "Every notice was marked read."}


def safe_link(link: str) -> str | None:
    """A notice's link if it is a path of this site (never another site or a script)."""
    return link if link.startswith("/") and not link.startswith("//") else None


@router.get("/inbox")
def inbox_page(
    request: Request,
    reader: Reader,
    unread: Annotated[bool, Query()] = False,
    offset: Offset = 0,
    notice: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    found = inbox.list_notices(
        factory=request_factory(request),
        user_id=reader.user_id,
        limit=DEFAULT_PAGE_SIZE,
        offset=offset,
        unread_only=unread,
    )
    # The badge shows the count the list just read: one COUNT for the page, not two.
    request.state.unread_notices = found.unread
    return templates.TemplateResponse(request, "inbox/page.html", _context(found, unread, notice))


def _context(found: inbox.Inbox, unread: bool, notice: str) -> dict[str, Any]:
    page = found.page
    query = "unread=true&" if unread else ""
    newer = f"/inbox?{query}offset={max(page.offset - page.limit, 0)}" if page.offset else None
    more = page.offset + page.limit < page.total
    return {
        "page": page,
        "unread_total": found.unread,
        "unread_only": unread,
        "kind_words": KIND_WORDS,
        "safe_link": safe_link,
        "notice": NOTICES.get(notice),
        "previous_url": newer,
        "next_url": f"/inbox?{query}offset={page.offset + page.limit}" if more else None,
        "section": "inbox",
        "program_name": None,
    }


@router.post("/inbox/{notice_id:int}/read")
def mark_read(request: Request, reader: Reader, notice_id: ItemId) -> Response:
    """Someone else's notice is a 404 page, as if it did not exist."""
    inbox.mark_read(
        factory=request_factory(request),
        user_id=reader.user_id,
        notice_id=notice_id,
        now=request_now(request),
    )
    return RedirectResponse("/inbox?notice=read", status_code=303)


@router.post("/inbox/read-all")
def mark_all_read(request: Request, reader: Reader) -> Response:
    inbox.mark_all_read(
        factory=request_factory(request), user_id=reader.user_id, now=request_now(request)
    )
    return RedirectResponse("/inbox?notice=all-read", status_code=303)
