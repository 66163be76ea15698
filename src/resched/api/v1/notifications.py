"""/notifications: the signed-in user's own inbox (newest first) and read marks; /outbox: the
mail queue, for administrators.

Only one's own notices are reachable: another user's notice id is a 404, as if it did not
exist. Marking read twice changes nothing."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request

from resched.api.deps import PageDep, SessionFactoryDep
from resched.api.schemas import PageOut
from resched.api.schemas.notices import InboxOut, NotificationOut, OutboxMailOut, ReadAllOut
from resched.http.auth import require
from resched.http.clock import request_now
from resched.http.params import MAX_ID
from resched.services.notices import inbox
from resched.services.notices.outbox import OutboxFilter, list_outbox
from resched.services.permissions import Permission, Principal

router = APIRouter(tags=["notifications"])
NoticeId = Annotated[int, Path(ge=1, le=MAX_ID)]
Reader = Annotated[Principal, require(Permission.ACCOUNT_SELF)]


@router.get("/notifications")
def list_notifications(
    factory: SessionFactoryDep, page: PageDep, reader: Reader, unread: bool = False
) -> InboxOut:
    """``unread=true``: the unread ones only. ``unread`` in the answer counts all unread."""
    found = inbox.list_notices(
        factory=factory,
        user_id=reader.user_id,
        limit=page.limit,
        offset=page.offset,
        unread_only=unread,
    )
    return InboxOut.of_inbox(found)


@router.post("/notifications/read-all")
def read_all_notifications(
    request: Request, factory: SessionFactoryDep, reader: Reader
) -> ReadAllOut:
    marked = inbox.mark_all_read(factory=factory, user_id=reader.user_id, now=request_now(request))
    return ReadAllOut(marked=marked)


@router.post("/notifications/{notice_id}/read")
def read_notification(
    request: Request, notice_id: NoticeId, factory: SessionFactoryDep, reader: Reader
) -> NotificationOut:
    notice = inbox.mark_read(
        factory=factory, user_id=reader.user_id, notice_id=notice_id, now=request_now(request)
    )
    return NotificationOut.of(notice)


@router.get("/outbox", dependencies=[require(Permission.MAIL_READ)])
def list_mail(
    factory: SessionFactoryDep, page: PageDep, status: OutboxFilter = OutboxFilter.ALL
) -> PageOut[OutboxMailOut]:
    """Newest first; ``status`` is ``unsent``, ``sent`` or ``all``."""
    found = list_outbox(factory=factory, limit=page.limit, offset=page.offset, status=status)
    return PageOut[OutboxMailOut].of(found, OutboxMailOut.of)
