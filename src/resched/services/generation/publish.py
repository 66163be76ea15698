"""Publishing a draft: validated first, then in one audited transaction the academic year's
published version is archived and the draft becomes the record.

A draft with violations (found by the validator now, or flagged when it was generated) is never
published silently: the coordinator must give a reason, which the audit trail keeps.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from resched.core.errors import Conflict, Invalid
from resched.core.model import ScheduleStatus
from resched.core.rules import Severity
from resched.db.repositories.generation import (
    generation_of,
    lock_version,
    published_ids,
    set_status,
)
from resched.db.repositories.schedule import ScheduleVersion, ScheduleVersionRepository
from resched.db.types import utc_now
from resched.services.audit import ActorLike, record
from resched.services.common import SessionFactory, read, write
from resched.services.notices import announce_publication
from resched.services.schedules import ENTITY, check_schedule, get_schedule
from resched.services.swaps.retire import retire_swaps

MAX_REASON = 500


@dataclass(frozen=True, slots=True)
class PublishResult:
    """The published version, the one it replaced (if any), and the violations published
    with a reason (0 for a clean draft)."""

    version: ScheduleVersion
    archived_id: int | None
    violations: int


def count_violations(*, factory: SessionFactory, version_id: int) -> int:
    """What stands between a draft and a silent publish: the validator's violations over the
    version's range (look-back included), or, if more, those flagged when it was generated
    (the plan check and coverage, which the duty-hour validator does not see)."""
    checked = check_schedule(factory=factory, version_id=version_id)
    now = sum(1 for f in checked.findings if f.severity is Severity.VIOLATION)
    with read(factory) as session:
        stored = generation_of(session, version_id)
    return max(now, stored.violation_count if stored else 0)


def publish_version(
    *, factory: SessionFactory, version_id: int, actor: ActorLike, reason: str | None = None
) -> PublishResult:
    """NotFound for an unknown version; Conflict unless it is a draft; Invalid (field
    ``reason``) for a draft with violations and no reason."""
    why = (reason or "").strip()
    if len(why) > MAX_REASON:
        raise Invalid(f"a reason is at most {MAX_REASON} characters", details={"field": "reason"})
    draft = get_schedule(factory=factory, version_id=version_id)
    _require_draft(draft.id, draft.status)
    violations = count_violations(factory=factory, version_id=version_id)
    if violations and not why:
        raise Invalid(
            f"version {version_id} has {violations} violation(s); publishing it anyway "
            "needs a reason",
            details={"field": "reason", "violations": violations},
        )
    with write(factory) as session:
        _require_draft(version_id, lock_version(session, version_id))
        replaced = published_ids(session, draft.academic_year_id)
        for old in replaced:
            _archive(session, old, version_id, actor)
            retire_swaps(session, replaced=old, successor=version_id, actor=actor)
        repo = ScheduleVersionRepository(session)
        set_status(session, version_id, ScheduleStatus.PUBLISHED, published_at=utc_now())
        published = repo.get(version_id)
        assert published is not None
        record(
            session,
            actor=actor,
            action="publish",
            entity=ENTITY,
            entity_id=version_id,
            before=draft,
            after=published,
            reason=_audit_reason(why, violations),
        )
        # In the same transaction: everyone hears of it exactly when it happened.
        announce_publication(
            session, academic_year_id=draft.academic_year_id, version_id=version_id
        )
    return PublishResult(published, replaced[-1] if replaced else None, violations)


def _archive(session: Session, old: int, successor: int, actor: ActorLike) -> None:
    repo = ScheduleVersionRepository(session)
    before = repo.get(old)
    set_status(session, old, ScheduleStatus.ARCHIVED)
    record(
        session,
        actor=actor,
        action="archive",
        entity=ENTITY,
        entity_id=old,
        before=before,
        after=repo.get(old),
        reason=f"replaced by version {successor}",
    )


def _require_draft(version_id: int, status: ScheduleStatus | None) -> None:
    if status is not ScheduleStatus.DRAFT:
        shown = status.value if status else "gone"
        raise Conflict(
            f"version {version_id} is {shown}; only a draft can be published",
            details={"status": shown},
        )


def _audit_reason(reason: str, violations: int) -> str | None:
    if violations:
        return f"published with {violations} violation(s): {reason}"
    return reason or None
