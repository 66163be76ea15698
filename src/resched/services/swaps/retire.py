"""Swaps of a version that stops being the record: when a new version is published, the open
and pending swaps of the one it replaces can no longer be carried out (their shifts belong to
an archived schedule), so they are cancelled with the reason, audited, and both sides told -
in the publish's own transaction, so nobody takes an offer from a schedule that is gone."""

from __future__ import annotations

from sqlalchemy.orm import Session

from resched.core.changes.kinds import SwapStatus
from resched.db.tables import SwapRequestRow
from resched.db.types import utc_now
from resched.services.audit import ActorLike, record
from resched.services.swaps.decisions import tell_decided
from resched.services.swaps.model import ENTITY, load_swap, set_status, swap_query, to_swap
from resched.services.swaps.offers import LIVE


def retire_swaps(session: Session, *, replaced: int, successor: int, actor: ActorLike) -> int:
    """Cancel the live swaps of version ``replaced``; returns how many."""
    rows = session.execute(
        swap_query().where(SwapRequestRow.version_id == replaced, SwapRequestRow.status.in_(LIVE))
    ).all()
    note = (
        f"the schedule was replaced by version {successor} before this swap was decided; "
        "offer it again if you still want to"
    )
    for swap in (to_swap(*row) for row in rows):
        values = {"status": SwapStatus.CANCELLED, "decided_at": utc_now(), "decision_note": note}
        set_status(session, swap, values)
        record(
            session,
            actor=actor,
            action="swap.cancel",
            entity=ENTITY,
            entity_id=swap.id,
            before={"status": swap.status.value},
            after={"status": SwapStatus.CANCELLED.value},
            reason=note,
        )
        tell_decided(session, load_swap(session, swap.id), "cancelled")
    return len(rows)
