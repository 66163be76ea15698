"""The audit trail: add and read, never update or delete (tests/db/test_audit_append_only.py
holds the code and the database to that)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from resched.db.mappers import audit_event_from_row
from resched.db.records import AuditEvent, Page
from resched.db.repositories.base import paginate
from resched.db.tables import AuditEventRow

SYSTEM_ACTOR = "system"


@dataclass(frozen=True, slots=True)
class AuditQuery:
    """Exact-match filters and a half-open time range ``[since, before)``."""

    actor: str | None = None
    action: str | None = None
    entity: str | None = None
    entity_id: str | None = None
    since: dt.datetime | None = None
    before: dt.datetime | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        where: list[ColumnElement[bool]] = []
        if self.action is not None:
            where.append(_action_is(self.action))
        for column, value in (
            (AuditEventRow.actor, self.actor),
            (AuditEventRow.entity, self.entity),
            (AuditEventRow.entity_id, self.entity_id),
        ):
            if value is not None:
                where.append(column == value)
        if self.since is not None:
            where.append(AuditEventRow.at >= self.since)
        if self.before is not None:
            where.append(AuditEventRow.at < self.before)
        return where


def _action_is(action: str) -> ColumnElement[bool]:
    """Actions read as ``entity.verb`` ("person.create", "user.role"): the stored action, or a
    plain verb stored with the entity beside it (most records are "create" of "person")."""
    entity, dot, verb = action.partition(".")
    if not dot:
        return AuditEventRow.action == action
    return or_(
        AuditEventRow.action == action,
        and_(AuditEventRow.entity == entity, AuditEventRow.action == verb),
    )


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
        """Oldest first: the history of one entity, in order."""
        return paginate(
            self.session,
            AuditEventRow,
            where=AuditQuery(entity=entity, entity_id=entity_id).conditions(),
            order_by=(AuditEventRow.id,),
            limit=limit,
            offset=offset,
            convert=audit_event_from_row,
        )

    def search(self, query: AuditQuery, *, limit: int, offset: int) -> Page[AuditEvent]:
        """Newest first: what an administrator looking into something wants to see."""
        return paginate(
            self.session,
            AuditEventRow,
            where=query.conditions(),
            order_by=(AuditEventRow.id.desc(),),
            limit=limit,
            offset=offset,
            convert=audit_event_from_row,
        )

    def of_entities(
        self, entity: str, entity_ids: Sequence[str], actions: Sequence[str]
    ) -> list[AuditEvent]:
        """The events with ``actions`` of the given entities, oldest first (one query)."""
        if not entity_ids:
            return []
        stmt = (
            select(AuditEventRow)
            .where(
                AuditEventRow.entity == entity,
                AuditEventRow.entity_id.in_(list(entity_ids)),
                AuditEventRow.action.in_(list(actions)),
            )
            .order_by(AuditEventRow.id)
        )
        return [audit_event_from_row(row) for row in self.session.scalars(stmt)]
