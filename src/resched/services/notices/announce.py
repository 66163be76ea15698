"""Telling people what happened: a notice in each linked account's inbox and, for people with
an e-mail address, a mail queued in the outbox - both in the caller's transaction, so nothing
is announced that did not happen and nothing that happened goes unannounced."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import insert, or_, select
from sqlalchemy.orm import Session

from resched.core.changes.kinds import NoticeKind
from resched.core.model import Role
from resched.db.tables import (
    AcademicYearRow,
    MailOutboxRow,
    NotificationRow,
    PersonRow,
    PersonYearRow,
    UserRole,
    UserRow,
)

MAX_TITLE = 200
PUBLISHED_LINK = "/schedule"
# Who runs the program hears about every publication, linked to a person or not.
STAFF_ROLES = (UserRole.COORDINATOR, UserRole.ADMIN)


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


def announce_publication(session: Session, *, academic_year_id: int, version_id: int) -> int:
    """A SCHEDULE_PUBLISHED notice for every active account of the year - users linked to its
    people (residents with a PGY level that year, active faculty) and the coordinators and
    administrators - and a mail to those people with an address. Two bulk inserts whatever
    the program's size. Returns the number of notices written."""
    in_year = or_(
        PersonRow.id.in_(
            select(PersonYearRow.person_id).where(
                PersonYearRow.academic_year_id == academic_year_id
            )
        ),
        (PersonRow.role == Role.FACULTY) & PersonRow.active.is_(True),
    )
    people = select(PersonRow.id).where(in_year)
    users = session.execute(
        select(UserRow.id).where(
            UserRow.active.is_(True),
            or_(UserRow.role.in_(STAFF_ROLES), UserRow.person_id.in_(people)),
        )
    ).scalars()
    label = session.scalar(
        select(AcademicYearRow.label).where(AcademicYearRow.id == academic_year_id)
    )
    title = f"The {label or 'new'} schedule was published"
    body = f"Version {version_id} is now the schedule. Check your shifts."
    written = notify_users(
        session,
        user_ids=list(users),
        kind=NoticeKind.SCHEDULE_PUBLISHED,
        title=title,
        body=body,
        link=PUBLISHED_LINK,
    )
    addresses = session.execute(
        select(PersonRow.email).where(in_year, PersonRow.email.is_not(None))
    ).scalars()
    queue_mail(
        session,
        to=[a for a in addresses if a],
        subject=title,
        body=_mail_body(body, PUBLISHED_LINK),
    )
    return written


def _mail_body(body: str, link: str) -> str:
    """The link on a line of its own, last: the sender makes a path absolute with the site's
    public address (resched.services.notices.delivery.absolute_links)."""
    return f"{body}\n\n{link}".strip() if link else body


def notify_coordinators(session: Session, *, title: str, body: str = "", link: str = "") -> int:
    """Tell every active coordinator and administrator that something waits for them."""
    users = session.scalars(
        select(UserRow.id).where(UserRow.role.in_(STAFF_ROLES), UserRow.active.is_(True))
    )
    return notify_users(
        session,
        user_ids=list(users),
        kind=NoticeKind.APPROVAL_NEEDED,
        title=title,
        body=body,
        link=link,
    )
