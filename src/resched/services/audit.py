"""Recording and reading the audit trail. ``record`` is called inside a write transaction.

The trail is append-only: this module, the repository and the database (triggers added by the
accounts migration) offer no way to change or remove an event.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy.orm import Session

from resched.db.mappers import snapshot
from resched.db.records import AuditEvent, Page
from resched.db.repositories import AuditRepository
from resched.db.repositories.audit import AuditQuery
from resched.services.common import DEFAULT_PAGE_SIZE, SessionFactory, check_page, fail, read


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts, and from where: what every audit event records besides the change itself.

    Adapters build one per request (username, request id, client address); the CLI and the
    demo loader pass a plain username or None ("system").
    """

    username: str | None
    request_id: str | None = None
    client_address: str | None = None


type ActorLike = Actor | str | None


def as_actor(actor: ActorLike) -> Actor:
    return actor if isinstance(actor, Actor) else Actor(username=actor)


def record(
    session: Session,
    *,
    actor: ActorLike,
    action: str,
    entity: str,
    entity_id: int | str,
    before: Any = None,
    after: Any = None,
    reason: str | None = None,
) -> None:
    """Append one event; ``before``/``after`` are core objects (or None) stored as JSON."""
    who = as_actor(actor)
    AuditRepository(session).add(
        actor=who.username,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        before=None if before is None else snapshot(before),
        after=None if after is None else snapshot(after),
        reason=reason,
        request_id=who.request_id,
        client_address=who.client_address,
    )


def list_audit_events(
    *,
    factory: SessionFactory,
    limit: int = DEFAULT_PAGE_SIZE,
    offset: int = 0,
    entity: str | None = None,
    entity_id: int | str | None = None,
) -> Page[AuditEvent]:
    check_page(limit, offset)
    with read(factory) as session:
        return AuditRepository(session).list_page(
            limit=limit,
            offset=offset,
            entity=entity,
            entity_id=None if entity_id is None else str(entity_id),
        )


@dataclass(frozen=True, slots=True)
class AuditSearch:
    """Filters of the audit search: exact actor, action and entity; a range of days in
    ``zone`` (UTC for the API; the page passes the program's zone, the one it shows times in)."""

    actor: str | None = None
    action: str | None = None
    entity: str | None = None
    entity_id: str | None = None
    first_day: dt.date | None = None
    last_day: dt.date | None = None
    zone: dt.tzinfo = dt.UTC


def search_audit_events(
    *,
    factory: SessionFactory,
    search: AuditSearch,
    limit: int = DEFAULT_PAGE_SIZE,
    offset: int = 0,
) -> Page[AuditEvent]:
    """Matching events, newest first."""
    check_page(limit, offset)
    if search.first_day and search.last_day and search.first_day > search.last_day:
        fail("to", "the last day must not be before the first day")
    query = AuditQuery(
        actor=search.actor or None,
        action=search.action or None,
        entity=search.entity or None,
        entity_id=search.entity_id or None,
        since=_start_of(search.first_day, search.zone),
        before=_start_of(_day_after(search.last_day), search.zone),
    )
    with read(factory) as session:
        return AuditRepository(session).search(query, limit=limit, offset=offset)


def _day_after(day: dt.date | None) -> dt.date | None:
    # The last representable day has no day after it: nothing is later, so no upper bound.
    return None if day is None or day == dt.date.max else day + dt.timedelta(days=1)


def _start_of(day: dt.date | None, zone: dt.tzinfo) -> dt.datetime | None:
    if day is None:
        return None
    # The first instant of the local day (zoneinfo resolves a gap at midnight forwards).
    local = dt.datetime.combine(day, dt.time(), tzinfo=zone)
    try:
        return local.astimezone(dt.UTC)
    except OverflowError:  # 1 Jan of year 1 east of UTC: earlier than any event anyway
        return dt.datetime.min.replace(tzinfo=dt.UTC)


class _Identified(Protocol):
    @property
    def id(self) -> int | None: ...


def record_created[T: _Identified](
    session: Session, *, actor: ActorLike, entity: str, created: T
) -> T:
    """Audit a record just added (it has its id now) and hand it back."""
    assert created.id is not None
    record(
        session, actor=actor, action="create", entity=entity, entity_id=created.id, after=created
    )
    return created


def record_all_created[T: _Identified](
    session: Session, *, actor: ActorLike, entity: str, created: list[T]
) -> list[T]:
    """``record_created`` for each record of a batch."""
    return [record_created(session, actor=actor, entity=entity, created=item) for item in created]


def record_updated[T](
    session: Session, *, actor: ActorLike, entity: str, entity_id: int, before: T, after: T | None
) -> T:
    """Audit a replacement (``after`` is None only if the row vanished, which the caller's
    read of ``before`` in the same transaction rules out) and hand the new state back."""
    assert after is not None
    record(
        session,
        actor=actor,
        action="update",
        entity=entity,
        entity_id=entity_id,
        before=before,
        after=after,
    )
    return after
