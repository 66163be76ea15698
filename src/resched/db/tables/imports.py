"""Import batches (issue 16): one row per uploaded file, from its preview to its undo.

The checked rows are stored at preview time and apply uses exactly them (the file is never
read again); what apply did (ids created, rows updated with their values before) is stored
for the undo of the whole batch.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from resched.db.base import Base
from resched.db.types import UTCDateTime, json_type, str_enum, utc_now


class ImportStatus(StrEnum):
    PREVIEWED = "previewed"
    APPLIED = "applied"
    UNDONE = "undone"
    EXPIRED = "expired"


class ImportBatchRow(Base):
    __tablename__ = "import_batch"
    __table_args__ = (Index(None, "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    file_name: Mapped[str] = mapped_column(String(255))
    file_kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[ImportStatus] = mapped_column(
        str_enum(ImportStatus, "import_status"), default=ImportStatus.PREVIEWED
    )
    # Usernames, not foreign keys: the history of an import outlives the account.
    created_by: Mapped[str | None] = mapped_column(String(150))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utc_now)
    applied_by: Mapped[str | None] = mapped_column(String(150))
    applied_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    undone_by: Mapped[str | None] = mapped_column(String(150))
    undone_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    summary: Mapped[dict[str, Any]] = mapped_column(json_type())
    problems: Mapped[list[Any]] = mapped_column(json_type())
    # Deferred: thousands of rows, and the list of batches never shows them.
    rows: Mapped[list[Any]] = deferred(mapped_column(json_type(), nullable=False))
    applied: Mapped[dict[str, Any] | None] = deferred(mapped_column(json_type()))
