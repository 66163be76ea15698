"""Optimistic concurrency for the rows people edit in forms: a ``row_version`` counter.

SQLAlchemy's ``version_id_col`` adds ``AND row_version = <the version this session read>`` to
every UPDATE and DELETE of the row and raises ``StaleDataError`` when that matches nothing:
two writers that read the same version can never both win, whatever the isolation level.

The counter moves by exactly one per transaction that changes the row (its columns or its
child rows), so a writer that read version v knows it saved v + 1: the ORM's own generator
would count flushes instead (a person's save flushes twice), hence ``version_id_generator``
off and the bump below. The defaults fill rows written by Core inserts (imports) and rows
that existed before the column did.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, event, inspect
from sqlalchemy.orm import Mapped, Session, SessionTransaction, declared_attr, mapped_column

ROW_VERSION = "row_version"
_BUMPED = "resched.versioning.bumped"


class Versioned:
    """Mix into a table whose rows an edit form or the API changes one at a time."""

    row_version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 - a declared_attr takes the class
        return {
            "version_id_col": cls.__table__.c.row_version,  # type: ignore[attr-defined]
            "version_id_generator": False,
        }


@event.listens_for(Session, "before_flush")
def _bump_versions(session: Session, _context: object, _instances: object) -> None:
    """Raise the version of every changed versioned row once in this transaction (unless the
    caller raised it already: resched.services.versions.claim)."""
    bumped: set[object] = session.info.setdefault(_BUMPED, set())
    for row in session.dirty:
        if not isinstance(row, Versioned):
            continue
        state = inspect(row)
        if state.identity_key in bumped or not session.is_modified(row):
            continue
        if not state.attrs[ROW_VERSION].history.has_changes():
            row.row_version += 1
        bumped.add(state.identity_key)


@event.listens_for(Session, "after_transaction_end")
def _forget_bumps(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_BUMPED, None)
