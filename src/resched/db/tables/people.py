"""People, their PGY level per academic year, and user accounts."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from resched.core.model import Role
from resched.db.base import Base
from resched.db.types import UTCDateTime, json_type, str_enum, utc_now
from resched.db.versioning import Versioned


class UserRole(StrEnum):
    """What a user account may do (not what the person is: see core.model.Role)."""

    ADMIN = "admin"
    COORDINATOR = "coordinator"
    FACULTY = "faculty"
    RESIDENT = "resident"


class PersonRow(Versioned, Base):
    __tablename__ = "person"
    __table_args__ = (UniqueConstraint("code"), CheckConstraint("code <> ''", name="code_nonempty"))

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(str_enum(Role, "person_role"), index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    credentials: Mapped[list[str]] = mapped_column(json_type(), default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Contact for on-duty coordination (the Today page): optional free text, checked by
    # services.people.
    phone: Mapped[str | None] = mapped_column(String(32))
    pager: Mapped[str | None] = mapped_column(String(32))

    years: Mapped[list[PersonYearRow]] = relationship(
        back_populates="person",
        cascade="all, delete-orphan",
        order_by="PersonYearRow.academic_year_id",
        passive_deletes=True,
    )


class PersonYearRow(Base):
    """A person's PGY level in one academic year (next year the same resident is one up)."""

    __tablename__ = "person_year"
    __table_args__ = (CheckConstraint("pgy >= 1", name="pgy_positive"),)

    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    # Indexed on its own: the overview reads "everyone in year Y", which the composite primary
    # key (person first) cannot serve.
    academic_year_id: Mapped[int] = mapped_column(
        ForeignKey("academic_year.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    pgy: Mapped[int]

    person: Mapped[PersonRow] = relationship(back_populates="years")


class UserRow(Base):
    # "user" is a reserved word in PostgreSQL; a plain name avoids quoting everywhere.
    __tablename__ = "app_user"
    __table_args__ = (UniqueConstraint("username"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[UserRole] = mapped_column(str_enum(UserRole, "user_role"))
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utc_now)
    # Set by an administrator's password reset: the one-time password signs in, and then
    # only the password change is open until the owner chooses their own.
    must_change_password: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
