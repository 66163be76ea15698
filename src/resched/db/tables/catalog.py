"""What a program schedules: shift types, rotations (with capacities and yearly requirements)
and coverage requirements.

Cross-references by code inside JSON columns (``supervised_by``, ``weekly_pattern``,
``not_adjacent_to``, eligibility rotations) are checked by the services, because a foreign key
cannot reach into JSON; the coverage requirement's own shift type is a real foreign key.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from resched.core.model import HolidayRule, ShiftKind
from resched.db.base import Base
from resched.db.types import json_type, str_enum
from resched.db.versioning import Versioned


class ShiftTypeRow(Versioned, Base):
    __tablename__ = "shift_type"
    __table_args__ = (
        UniqueConstraint("code"),
        CheckConstraint("code <> ''", name="code_nonempty"),
        CheckConstraint("minutes > 0", name="minutes_positive"),
        CheckConstraint("transition_minutes >= 0", name="transition_nonneg"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    start_time: Mapped[dt.time] = mapped_column(Time())
    minutes: Mapped[int]
    transition_minutes: Mapped[int] = mapped_column(default=0)
    kind: Mapped[ShiftKind] = mapped_column(str_enum(ShiftKind, "shift_kind"))
    requires_supervision: Mapped[bool] = mapped_column(Boolean, default=False)
    supervised_by: Mapped[list[str]] = mapped_column(json_type(), default=list)


class RotationRow(Versioned, Base):
    __tablename__ = "rotation"
    __table_args__ = (UniqueConstraint("code"), CheckConstraint("code <> ''", name="code_nonempty"))

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    # ISO weekday (as a string key: JSON objects have string keys) -> shift codes.
    weekly_pattern: Mapped[dict[str, list[str]]] = mapped_column(json_type(), default=dict)
    leave_eligible: Mapped[bool] = mapped_column(Boolean, default=False)
    allows_half_block: Mapped[bool] = mapped_column(Boolean, default=False)
    not_adjacent_to: Mapped[list[str]] = mapped_column(json_type(), default=list)
    # Rotation codes a resident must have done a block of earlier in the year.
    prerequisites: Mapped[list[str]] = mapped_column(json_type(), default=list, server_default="[]")
    colour: Mapped[str] = mapped_column(String(7), default="#cccccc")
    # [{"shift_codes": [...], "min_count": n, "max_count": m}, ...]: per-week shift quotas.
    weekly_quotas: Mapped[list[dict[str, Any]]] = mapped_column(json_type(), default=list)

    capacities: Mapped[list[RotationCapacityRow]] = relationship(
        cascade="all, delete-orphan", order_by="RotationCapacityRow.id", passive_deletes=True
    )
    requirements: Mapped[list[RotationRequirementRow]] = relationship(
        cascade="all, delete-orphan", order_by="RotationRequirementRow.pgy", passive_deletes=True
    )


class RotationCapacityRow(Base):
    __tablename__ = "rotation_capacity"
    __table_args__ = (
        CheckConstraint("pgy_min >= 1", name="pgy_min_positive"),
        CheckConstraint("pgy_max >= pgy_min", name="pgy_ordered"),
        CheckConstraint("min_count >= 0", name="min_nonneg"),
        CheckConstraint("max_count >= min_count", name="count_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rotation_id: Mapped[int] = mapped_column(
        ForeignKey("rotation.id", ondelete="CASCADE"), index=True
    )
    pgy_min: Mapped[int]
    pgy_max: Mapped[int]
    min_count: Mapped[int]
    max_count: Mapped[int]


class RotationRequirementRow(Base):
    __tablename__ = "rotation_requirement"
    __table_args__ = (
        UniqueConstraint("rotation_id", "pgy"),
        CheckConstraint("pgy >= 1", name="pgy_positive"),
        CheckConstraint("min_blocks >= 0", name="min_nonneg"),
        CheckConstraint("max_blocks >= min_blocks", name="blocks_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rotation_id: Mapped[int] = mapped_column(ForeignKey("rotation.id", ondelete="CASCADE"))
    pgy: Mapped[int]
    min_blocks: Mapped[int]
    max_blocks: Mapped[int]


class CoverageRequirementRow(Versioned, Base):
    __tablename__ = "coverage_requirement"
    __table_args__ = (
        CheckConstraint("min_count >= 0", name="min_nonneg"),
        CheckConstraint("max_count >= min_count", name="count_ordered"),
        CheckConstraint("pgy_min IS NULL OR pgy_min >= 1", name="pgy_min_positive"),
        CheckConstraint(
            "pgy_min IS NULL OR pgy_max IS NULL OR pgy_max >= pgy_min", name="pgy_ordered"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    # RESTRICT: deleting a shift type must not silently drop the demands placed on it.
    shift_type_id: Mapped[int] = mapped_column(
        ForeignKey("shift_type.id", ondelete="RESTRICT"), index=True
    )
    weekdays: Mapped[list[int]] = mapped_column(json_type())
    min_count: Mapped[int]
    max_count: Mapped[int]
    pgy_min: Mapped[int | None]
    pgy_max: Mapped[int | None]
    roles: Mapped[list[str]] = mapped_column(json_type(), default=list)
    rotations: Mapped[list[str]] = mapped_column(json_type(), default=list)
    credentials: Mapped[list[str]] = mapped_column(json_type(), default=list)
    # ISO dates (JSON, like the weekdays): read whole with the rule, never queried into. The
    # server default fills rows that existed before the columns did.
    dates: Mapped[list[str]] = mapped_column(json_type(), default=list, server_default="[]")
    except_dates: Mapped[list[str]] = mapped_column(json_type(), default=list, server_default="[]")
    # Whether the rule holds on the academic year's holidays; rows from before: "any".
    holidays: Mapped[HolidayRule] = mapped_column(
        str_enum(HolidayRule, "holiday_rule"), default=HolidayRule.ANY, server_default="any"
    )

    shift_type: Mapped[ShiftTypeRow] = relationship(lazy="joined", innerjoin=True)
