"""A user's inbox: their notices, newest first, and what they have read.

Marking a notice read is not audited: it is the reader's own bookkeeping, like a page they
scrolled past, and says nothing about the program. Only the owner reaches a notice: another
user's id is a 404, as if it did not exist.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from resched.core.changes.kinds import NoticeKind
from resched.db.records import Page
from resched.db.tables import NotificationRow
from resched.services.common import SessionFactory, check_page, not_found, read, write


@dataclass(frozen=True, slots=True)
class Notice:
    id: int
    kind: NoticeKind
    title: str
    body: str
    link: str
    created_at: dt.datetime
    read_at: dt.datetime | None

    @property
    def unread(self) -> bool:
        return self.read_at is None


@dataclass(frozen=True, slots=True)
class Inbox:
    """One page of notices, and how many of all the user's notices are unread."""

    page: Page[Notice]
    unread: int


def list_notices(
    *, factory: SessionFactory, user_id: int, limit: int, offset: int, unread_only: bool = False
) -> Inbox:
    check_page(limit, offset)
    mine = _mine(user_id, unread_only)
    with read(factory) as session:
        total = session.scalar(select(func.count()).select_from(NotificationRow).where(mine))
        rows = session.scalars(
            select(NotificationRow)
            .where(mine)
            .order_by(NotificationRow.created_at.desc(), NotificationRow.id.desc())
            .limit(limit)
            .offset(offset)
        )
        items = tuple(_notice(row) for row in rows)
        unread = total if unread_only else _count_unread(session, user_id)
    return Inbox(Page(items, total or 0, limit, offset), unread or 0)


def unread_count(*, factory: SessionFactory, user_id: int) -> int:
    """The header badge's number: one COUNT on the (user_id, read_at) index."""
    with read(factory) as session:
        return _count_unread(session, user_id)


def mark_read(*, factory: SessionFactory, user_id: int, notice_id: int, now: dt.datetime) -> Notice:
    """Mark one of the user's notices read (again: no change). NotFound for any other id."""
    with write(factory) as session:
        row = session.scalar(
            select(NotificationRow).where(
                NotificationRow.id == notice_id, NotificationRow.user_id == user_id
            )
        )
        if row is None:
            not_found("notification", notice_id)
        if row.read_at is None:
            row.read_at = now
            session.flush()
        return _notice(row)


def mark_all_read(*, factory: SessionFactory, user_id: int, now: dt.datetime) -> int:
    """Mark every unread notice of the user read; returns how many were unread."""
    with write(factory) as session:
        done = session.execute(
            update(NotificationRow)
            .where(_mine(user_id, unread_only=True))
            .values(read_at=now)
            .execution_options(synchronize_session=False)
        )
        return int(getattr(done, "rowcount", 0) or 0)


def _mine(user_id: int, unread_only: bool) -> ColumnElement[bool]:
    condition = NotificationRow.user_id == user_id
    if unread_only:
        condition = condition & NotificationRow.read_at.is_(None)
    return condition


def _count_unread(session: Session, user_id: int) -> int:
    counted = session.scalar(
        select(func.count()).select_from(NotificationRow).where(_mine(user_id, unread_only=True))
    )
    return int(counted or 0)


def _notice(row: NotificationRow) -> Notice:
    return Notice(
        id=row.id,
        kind=row.kind,
        title=row.title,
        body=row.body,
        link=row.link,
        created_at=row.created_at,
        read_at=row.read_at,
    )
