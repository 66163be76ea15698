"""Every schedule version with its history from the audit trail: who generated or imported it,
who published it and why, and when it was archived (by whose publishing)."""

from __future__ import annotations

from dataclasses import dataclass

from resched.db.records import AuditEvent, Page
from resched.db.repositories.audit import AuditRepository
from resched.db.repositories.schedule import ScheduleVersion, ScheduleVersionRepository
from resched.services.common import DEFAULT_PAGE_SIZE, SessionFactory, check_page, read
from resched.services.schedules import ENTITY

CREATED = ("generate", "import")
STEPS = (*CREATED, "publish", "archive")


@dataclass(frozen=True, slots=True)
class VersionHistory:
    version: ScheduleVersion
    created: AuditEvent | None  # generated or imported (None: made before the audit trail)
    published: AuditEvent | None
    archived: AuditEvent | None

    @property
    def kind(self) -> str:
        """ "generated", "imported", or "" when the trail does not say."""
        if self.created is None:
            return ""
        return "generated" if self.created.action == "generate" else "imported"


def list_version_history(
    *,
    factory: SessionFactory,
    limit: int = DEFAULT_PAGE_SIZE,
    offset: int = 0,
    include_drafts: bool = True,
) -> Page[VersionHistory]:
    """Versions newest first, each with its audited steps (two queries more than the list).
    ``include_drafts=False``: published and archived only (what residents and faculty see)."""
    check_page(limit, offset)
    with read(factory) as session:
        page = ScheduleVersionRepository(session).list_page(
            limit=limit, offset=offset, include_drafts=include_drafts
        )
        events = AuditRepository(session).of_entities(
            ENTITY, [str(v.id) for v in page.items], STEPS
        )
    by_version: dict[str, list[AuditEvent]] = {}
    for event in events:
        by_version.setdefault(event.entity_id, []).append(event)
    items = tuple(_history(v, by_version.get(str(v.id), [])) for v in page.items)
    return Page(items=items, total=page.total, limit=page.limit, offset=page.offset)


def _history(version: ScheduleVersion, events: list[AuditEvent]) -> VersionHistory:
    def last(actions: tuple[str, ...]) -> AuditEvent | None:
        found = [e for e in events if e.action in actions]
        return found[-1] if found else None

    return VersionHistory(version, last(CREATED), last(("publish",)), last(("archive",)))
