"""Changes to a schedule version after it was stored: each change set is one small new
revision with its items, so the history of a published schedule is its list of change sets
(read back to front, they undo it exactly), and the swap board that proposes such changes."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from resched.core.changes.kinds import ChangeKind, ItemOp, OverrideReason, SwapKind, SwapStatus
from resched.core.model import AssignmentSource
from resched.db.base import Base
from resched.db.types import UTCDateTime, str_enum, utc_now


class ScheduleChangeRow(Base):
    """One applied change set. ``revision`` is the version's revision it produced: the
    (version, revision) pair is unique, which is what lets two concurrent approvals based on
    the same revision never both win."""

    __tablename__ = "schedule_change"
    __table_args__ = (
        UniqueConstraint("version_id", "revision"),
        CheckConstraint("revision > 0", name="revision_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("schedule_version.id", ondelete="CASCADE"))
    revision: Mapped[int]
    kind: Mapped[ChangeKind] = mapped_column(str_enum(ChangeKind, "change_kind"))
    summary: Mapped[str] = mapped_column(String(500), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    override: Mapped[OverrideReason | None] = mapped_column(
        str_enum(OverrideReason, "override_reason")
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utc_now)
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("app_user.id", ondelete="SET NULL"), index=True
    )
    # An undo points at the change it reverses; the reversed change points back, so a change
    # is undone at most once and an undo is never itself undone twice.
    undoes_id: Mapped[int | None] = mapped_column(
        ForeignKey("schedule_change.id", ondelete="SET NULL")
    )
    undone_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("schedule_change.id", ondelete="SET NULL")
    )


class ScheduleChangeItemRow(Base):
    """One assignment added or removed. A removed row keeps its source and lock flag so the
    undo puts back exactly what was there."""

    __tablename__ = "schedule_change_item"
    __table_args__ = (Index(None, "change_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    change_id: Mapped[int] = mapped_column(ForeignKey("schedule_change.id", ondelete="CASCADE"))
    op: Mapped[ItemOp] = mapped_column(str_enum(ItemOp, "change_op"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"), index=True)
    day: Mapped[dt.date]
    shift_type_id: Mapped[int] = mapped_column(ForeignKey("shift_type.id", ondelete="RESTRICT"))
    source: Mapped[AssignmentSource] = mapped_column(
        str_enum(AssignmentSource, "assignment_source")
    )
    locked: Mapped[bool] = mapped_column(default=False)


class SwapRequestRow(Base):
    """A shift offered, traded or picked up. ``from_person_id`` gives ``day``/``shift_type_id``
    away (NULL for a pickup of an open slot); ``to_person_id`` takes it (NULL while the offer
    is open to anyone); a trade gives ``want_day``/``want_shift_type_id`` back. ``revision``
    is the version's revision when the request was made (stale requests are re-validated)."""

    __tablename__ = "swap_request"
    __table_args__ = (
        Index(None, "version_id", "status"),
        CheckConstraint(
            "from_person_id IS NULL OR to_person_id IS NULL OR from_person_id <> to_person_id",
            name="not_with_oneself",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("schedule_version.id", ondelete="CASCADE"))
    kind: Mapped[SwapKind] = mapped_column(str_enum(SwapKind, "swap_kind"))
    status: Mapped[SwapStatus] = mapped_column(
        str_enum(SwapStatus, "swap_status"), default=SwapStatus.OPEN
    )
    from_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    to_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[dt.date]
    shift_type_id: Mapped[int] = mapped_column(ForeignKey("shift_type.id", ondelete="RESTRICT"))
    want_day: Mapped[dt.date | None]
    want_shift_type_id: Mapped[int | None] = mapped_column(
        ForeignKey("shift_type.id", ondelete="RESTRICT")
    )
    note: Mapped[str] = mapped_column(Text, default="")
    revision: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utc_now)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    decision_note: Mapped[str] = mapped_column(Text, default="")
    change_id: Mapped[int | None] = mapped_column(
        ForeignKey("schedule_change.id", ondelete="SET NULL")
    )
