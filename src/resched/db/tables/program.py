"""The program and its calendar: academic years, blocks, holidays.

One database holds one program (the deployment unit of resched), so the ``program`` table is a
single row of settings and codes elsewhere are unique per database.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from resched.core.model import BlockSchemeKind
from resched.db.base import Base
from resched.db.types import json_type, str_enum
from resched.db.versioning import Versioned


class ProgramRow(Versioned, Base):
    __tablename__ = "program"
    __table_args__ = (
        CheckConstraint("freeze_horizon_days >= 0", name="freeze_horizon_nonneg"),
        CheckConstraint("undo_window_hours >= 0", name="undo_window_nonneg"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    rules: Mapped[dict[str, Any]] = mapped_column(json_type(), default=dict)
    freeze_horizon_days: Mapped[int] = mapped_column(default=7)
    # The approval policy: a change that breaks no rule and lies outside the freeze horizon
    # is applied at once when True; otherwise every change waits for a coordinator.
    auto_approve_changes: Mapped[bool] = mapped_column(default=True, server_default=true())
    # How long an applied change can be undone (when nothing changed the same cells since).
    undo_window_hours: Mapped[int] = mapped_column(default=24, server_default="24")
    # The shift type code a backup (jeopardy) person is put on; NULL: none configured.
    jeopardy_shift: Mapped[str | None] = mapped_column(String(32), default=None)
    # GenerationSettings as JSON; NULL: the solvers' defaults.
    generation: Mapped[dict[str, Any] | None] = mapped_column(json_type(), default=None)


class AcademicYearRow(Base):
    __tablename__ = "academic_year"
    __table_args__ = (
        CheckConstraint("end_date >= start_date", name="dates_ordered"),
        UniqueConstraint("label"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(40))
    start_date: Mapped[dt.date]
    end_date: Mapped[dt.date]
    scheme: Mapped[BlockSchemeKind] = mapped_column(str_enum(BlockSchemeKind, "block_scheme"))

    blocks: Mapped[list[BlockRow]] = relationship(
        back_populates="academic_year",
        cascade="all, delete-orphan",
        order_by="BlockRow.number",
        passive_deletes=True,
    )
    holidays: Mapped[list[HolidayRow]] = relationship(
        cascade="all, delete-orphan", order_by="HolidayRow.day", passive_deletes=True
    )


class BlockRow(Base):
    __tablename__ = "block"
    __table_args__ = (
        CheckConstraint("end_date >= start_date", name="dates_ordered"),
        # 0 is allowed: many programs number a short orientation block 0.
        CheckConstraint("number >= 0", name="number_nonneg"),
        UniqueConstraint("academic_year_id", "number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    academic_year_id: Mapped[int] = mapped_column(
        ForeignKey("academic_year.id", ondelete="CASCADE")
    )
    number: Mapped[int]
    start_date: Mapped[dt.date]
    end_date: Mapped[dt.date]
    name: Mapped[str] = mapped_column(String(80), default="")

    academic_year: Mapped[AcademicYearRow] = relationship(back_populates="blocks")


class HolidayRow(Base):
    __tablename__ = "holiday"
    __table_args__ = (UniqueConstraint("academic_year_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    academic_year_id: Mapped[int] = mapped_column(
        ForeignKey("academic_year.id", ondelete="CASCADE")
    )
    day: Mapped[dt.date]
    name: Mapped[str] = mapped_column(String(80), default="")
