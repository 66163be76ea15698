"""The audit trail's record of a database restore."""

from __future__ import annotations

from resched.services.audit import ActorLike, record
from resched.services.common import SessionFactory, write

ACTION = "database.restore"
ENTITY = "database"


def record_restore(
    *,
    factory: SessionFactory,
    actor: ActorLike,
    database: str,
    backup: str,
    previous: str | None,
    revision: str,
) -> None:
    """Written into the restored database itself, so its trail says where its content came
    from and where the database it replaced was kept."""
    with write(factory) as session:
        record(
            session,
            actor=actor,
            action=ACTION,
            entity=ENTITY,
            entity_id=database,
            after={"backup": backup, "previous_kept_as": previous, "revision": revision},
        )
