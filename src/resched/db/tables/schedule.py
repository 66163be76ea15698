"""Schedule versions and the one versioned source of truth for assignments."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from resched.core.model import AssignmentSource, ScheduleStatus
from resched.db.base import Base
from resched.db.types import UTCDateTime, json_type, str_enum, utc_now


class ScheduleVersionRow(Base):
    __tablename__ = "schedule_version"
    __table_args__ = (Index(None, "academic_year_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # RESTRICT: a year with schedules (possibly published, i.e. the record) is never dropped
    # by accident.
    academic_year_id: Mapped[int] = mapped_column(
        ForeignKey("academic_year.id", ondelete="RESTRICT")
    )
    status: Mapped[ScheduleStatus] = mapped_column(
        str_enum(ScheduleStatus, "schedule_status"), default=ScheduleStatus.DRAFT
    )
    label: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utc_now)
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("app_user.id", ondelete="SET NULL"), index=True
    )
    # How a generated draft came about (services/generation): solver status, objective, bound,
    # gap, penalties, statistics and the validator's findings; None for imported versions.
    generation: Mapped[dict[str, Any] | None] = mapped_column(json_type())
    # Hard-rule violations the validator found when the draft was stored: such a draft is
    # kept for review but is published only with a reason (audited).
    violation_count: Mapped[int] = mapped_column(default=0, server_default="0")
    # Raised by every change set applied to the version (db/tables/changes.py); a change
    # based on an older revision is re-validated, and two concurrent ones cannot both win.
    revision: Mapped[int] = mapped_column(default=0, server_default="0")


class BlockAssignmentRow(Base):
    __tablename__ = "block_assignment"
    __table_args__ = (
        # 0 = the whole block. Stored as a value, not NULL, because NULLs never collide in a
        # unique constraint and the constraint below must catch duplicate whole-block rows.
        CheckConstraint("half IN (0, 1, 2)", name="half_valid"),
        UniqueConstraint("version_id", "person_id", "block_id", "half"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("schedule_version.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"), index=True)
    block_id: Mapped[int] = mapped_column(ForeignKey("block.id", ondelete="RESTRICT"), index=True)
    half: Mapped[int] = mapped_column(SmallInteger, default=0)
    rotation_id: Mapped[int] = mapped_column(
        ForeignKey("rotation.id", ondelete="RESTRICT"), index=True
    )
    locked: Mapped[bool] = mapped_column(Boolean, default=False)


class ShiftAssignmentRow(Base):
    __tablename__ = "shift_assignment"
    __table_args__ = (
        UniqueConstraint("version_id", "person_id", "day", "shift_type_id"),
        Index(None, "version_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("schedule_version.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"), index=True)
    day: Mapped[dt.date]
    shift_type_id: Mapped[int] = mapped_column(
        ForeignKey("shift_type.id", ondelete="RESTRICT"), index=True
    )
    source: Mapped[AssignmentSource] = mapped_column(
        str_enum(AssignmentSource, "assignment_source"), default=AssignmentSource.MANUAL
    )
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
