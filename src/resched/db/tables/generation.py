"""A counter per table that every committed change of the table raises (resched.db.generation):
what a page's cached read model is keyed on."""

from __future__ import annotations

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from resched.db.base import Base


class DataGenerationRow(Base):
    __tablename__ = "data_generation"

    table_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    generation: Mapped[int] = mapped_column(BigInteger, default=0)
