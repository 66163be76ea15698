"""Audit events: rows -> records (events are never written back)."""

from __future__ import annotations

from resched.db.records import AuditEvent
from resched.db.tables import AuditEventRow


def audit_event_from_row(row: AuditEventRow) -> AuditEvent:
    return AuditEvent(
        id=row.id,
        at=row.at,
        actor=row.actor,
        action=row.action,
        entity=row.entity,
        entity_id=row.entity_id,
        before=row.before,
        after=row.after,
        reason=row.reason,
        request_id=row.request_id,
        client_address=row.client_address,
    )
