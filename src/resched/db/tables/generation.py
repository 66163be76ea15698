"""One counter that every committed change of the program's data raises (resched.db.generation):
what a page's cached read model is keyed on."""

from __future__ import annotations

from sqlalchemy import BigInteger
from sqlalchemy.orm import Mapped, mapped_column

from resched.db.base import Base

DATA_GENERATION_ROW = 1  # the table's one row


class DataGenerationRow(Base):
    __tablename__ = "data_generation"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    generation: Mapped[int] = mapped_column(BigInteger, default=0)
