"""What people bring to the schedule: absences, requests and logged work."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column

from resched.core.model import (
    AbsenceStatus,
    AbsenceType,
    LoggedWorkKind,
    RequestKind,
    RequestStatus,
)
from resched.db.base import Base
from resched.db.types import UTCDateTime, str_enum
from resched.db.versioning import Versioned


class AbsenceRow(Versioned, Base):
    __tablename__ = "absence"
    __table_args__ = (
        CheckConstraint("end_date >= start_date", name="dates_ordered"),
        Index(None, "person_id", "start_date"),
        # The Absences page and the API list pages of absences in this order.
        Index(None, "start_date", "id"),
        # ... and filtered by status (the leave queue, "approved" on the page): list and count.
        Index(None, "status", "start_date", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    start_date: Mapped[dt.date]
    end_date: Mapped[dt.date]
    type: Mapped[AbsenceType] = mapped_column(str_enum(AbsenceType, "absence_type"))
    status: Mapped[AbsenceStatus] = mapped_column(
        str_enum(AbsenceStatus, "absence_status"), default=AbsenceStatus.REQUESTED
    )
    note: Mapped[str] = mapped_column(Text, default="")
    # The decision on a leave request and what it did to the published schedule: the repair
    # proposal (a draft version) and the change set accepted with it.
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    decision_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    repair_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("schedule_version.id", ondelete="SET NULL")
    )
    change_id: Mapped[int | None] = mapped_column(
        ForeignKey("schedule_change.id", ondelete="SET NULL")
    )


class RequestRow(Base):
    """A wish. Its shift type or rotation is RESTRICTed: deleting one must not silently drop
    the requests people made about it."""

    __tablename__ = "request"
    __table_args__ = (
        CheckConstraint("end_date >= start_date", name="dates_ordered"),
        CheckConstraint("weight >= 0", name="weight_nonneg"),
        Index(None, "person_id", "start_date"),
        # The requests list (page and API) in its order, and Today's open ones (list, count).
        Index(None, "start_date", "person_id", "id"),
        Index(None, "status", "start_date", "person_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    kind: Mapped[RequestKind] = mapped_column(str_enum(RequestKind, "request_kind"))
    start_date: Mapped[dt.date]
    end_date: Mapped[dt.date]
    shift_type_id: Mapped[int | None] = mapped_column(
        ForeignKey("shift_type.id", ondelete="RESTRICT"), index=True
    )
    rotation_id: Mapped[int | None] = mapped_column(
        ForeignKey("rotation.id", ondelete="RESTRICT"), index=True
    )
    weight: Mapped[int] = mapped_column(default=1)
    status: Mapped[RequestStatus] = mapped_column(
        str_enum(RequestStatus, "request_status"), default=RequestStatus.OPEN
    )
    note: Mapped[str] = mapped_column(Text, default="")


class LoggedWorkRow(Base):
    """Hours beyond the schedule. Local wall-clock times (naive) in the program time zone, as
    the person reports them; the rules convert with the program time zone (DST-aware)."""

    __tablename__ = "logged_work"
    __table_args__ = (
        CheckConstraint("end_at > start_at", name="times_ordered"),
        Index(None, "person_id", "start_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    start_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=False))
    end_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=False))
    kind: Mapped[LoggedWorkKind] = mapped_column(str_enum(LoggedWorkKind, "logged_work_kind"))
    note: Mapped[str] = mapped_column(Text, default="")
