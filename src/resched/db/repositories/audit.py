"""The audit trail: add and read, never update or delete."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from resched.db.mappers import audit_event_from_row
from resched.db.records import AuditEvent, Page
from resched.db.repositories.base import paginate
from resched.db.tables import AuditEventRow

SYSTEM_ACTOR = "system"


class AuditRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(
        self,
        *,
        actor: str | None,
        action: str,
        entity: str,
        entity_id: str,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        reason: str | None = None,
        request_id: str | None = None,
        client_address: str | None = None,
    ) -> None:
        self.session.add(
            AuditEventRow(
                actor=actor or SYSTEM_ACTOR,
                action=action,
                entity=entity,
                entity_id=entity_id,
                before=before,
                after=after,
                reason=reason,
                request_id=request_id,
                client_address=client_address,
            )
        )
        self.session.flush()

    def list_page(
        self, *, limit: int, offset: int, entity: str | None = None, entity_id: str | None = None
    ) -> Page[AuditEvent]:
        where: list[ColumnElement[bool]] = []
        if entity is not None:
            where.append(AuditEventRow.entity == entity)
        if entity_id is not None:
            where.append(AuditEventRow.entity_id == entity_id)
        return paginate(
            self.session,
            AuditEventRow,
            where=where,
            order_by=(AuditEventRow.id,),
            limit=limit,
            offset=offset,
            convert=audit_event_from_row,
        )
