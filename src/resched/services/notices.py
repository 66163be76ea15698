"""Telling people what happened: a notice in each linked account's inbox and, for people with
an e-mail address, a mail queued in the outbox - both in the caller's transaction, so nothing
is announced that did not happen and nothing that happened goes unannounced."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from resched.core.changes.kinds import NoticeKind
from resched.db.tables import MailOutboxRow, NotificationRow, PersonRow, UserRow

MAX_TITLE = 200


def notify_people(
    session: Session,
    *,
    person_ids: Iterable[int],
    kind: NoticeKind,
    title: str,
    body: str = "",
    link: str = "",
) -> int:
    """Notify the active accounts linked to the people and queue a mail to those of them with
    an e-mail address. Returns the number of notices written."""
    ids = sorted(set(person_ids))
    if not ids:
        return 0
    users = session.execute(
        select(UserRow.id).where(UserRow.person_id.in_(ids), UserRow.active.is_(True))
    ).scalars()
    written = notify_users(
        session, user_ids=list(users), kind=kind, title=title, body=body, link=link
    )
    addresses = session.execute(
        select(PersonRow.email).where(PersonRow.id.in_(ids), PersonRow.email.is_not(None))
    ).scalars()
    queue_mail(session, to=[a for a in addresses if a], subject=title, body=_mail_body(body, link))
    return written


def notify_users(
    session: Session,
    *,
    user_ids: Iterable[int],
    kind: NoticeKind,
    title: str,
    body: str = "",
    link: str = "",
) -> int:
    rows = [
        {"user_id": uid, "kind": kind, "title": title[:MAX_TITLE], "body": body, "link": link}
        for uid in sorted(set(user_ids))
    ]
    if rows:
        session.execute(insert(NotificationRow), rows)
    return len(rows)


def queue_mail(session: Session, *, to: Iterable[str], subject: str, body: str) -> int:
    rows = [
        {"to_address": address, "subject": subject[:MAX_TITLE], "body": body}
        for address in sorted(set(to))
    ]
    if rows:
        session.execute(insert(MailOutboxRow), rows)
    return len(rows)


def _mail_body(body: str, link: str) -> str:
    return f"{body}\n\n{link}".strip() if link else body
