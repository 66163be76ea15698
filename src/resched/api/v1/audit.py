"""/audit-events: the audit trail, newest first, for administrators. Read-only: there is no
way to change or remove an event."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from resched.api.deps import PageDep, SessionFactoryDep
from resched.api.schemas import PageOut
from resched.api.schemas.auth import AuditEventOut
from resched.api.schemas.common import Day
from resched.http.auth import require
from resched.services.audit import AuditSearch, search_audit_events
from resched.services.permissions import Permission

router = APIRouter(
    prefix="/audit-events", tags=["audit"], dependencies=[require(Permission.AUDIT_READ)]
)
Filter = Annotated[str | None, Query(max_length=80)]


@router.get("")
def list_audit_events(
    factory: SessionFactoryDep,
    page: PageDep,
    actor: Filter = None,
    action: Filter = None,
    entity: Filter = None,
    entity_id: Filter = None,
    first_day: Annotated[Day | None, Query(alias="from")] = None,
    last_day: Annotated[Day | None, Query(alias="to")] = None,
) -> PageOut[AuditEventOut]:
    """Exact matches on actor, action, entity and entity id; ``from``/``to`` are UTC days,
    both inclusive."""
    search = AuditSearch(
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        first_day=first_day,
        last_day=last_day,
    )
    result = search_audit_events(
        factory=factory, search=search, limit=page.limit, offset=page.offset
    )
    return PageOut[AuditEventOut].of(result, AuditEventOut.of)
