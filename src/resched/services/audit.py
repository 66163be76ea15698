"""Recording and reading the audit trail. ``record`` is called inside a write transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from resched.db.mappers import snapshot
from resched.db.records import AuditEvent, Page
from resched.db.repositories import AuditRepository
from resched.services.common import DEFAULT_PAGE_SIZE, SessionFactory, check_page, read


def record(
    session: Session,
    *,
    actor: str | None,
    action: str,
    entity: str,
    entity_id: int | str,
    before: Any = None,
    after: Any = None,
    reason: str | None = None,
) -> None:
    """Append one event; ``before``/``after`` are core objects (or None) stored as JSON."""
    AuditRepository(session).add(
        actor=actor,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        before=None if before is None else snapshot(before),
        after=None if after is None else snapshot(after),
        reason=reason,
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
