"""Import batches as the API shows them (services/imports)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from resched.db.repositories.imports import ImportBatch
from resched.db.tables import ImportStatus


class ImportProblemOut(BaseModel):
    """Why a row cannot be imported: where it is (sheet, 1-based row, column letter) and what
    is wrong. ``column`` is empty when the problem is the row as a whole."""

    sheet: str
    row: int
    column: str
    field: str
    message: str


class ImportSummaryOut(BaseModel):
    create: int = Field(description="rows that will create (or created) a record")
    update: int = Field(description="rows that will change (or changed) a stored record")
    unchanged: int = Field(description="rows identical to what is stored")
    problems: int = Field(description="rows refused; a batch with problems cannot be applied")
    rows: int = Field(description="rows staged (create + update + unchanged)")
    notes: list[str] = Field(default_factory=list, description="what the reader ignored")


class ImportOut(BaseModel):
    id: int
    kind: str
    file_name: str
    file_kind: str
    status: ImportStatus
    created_by: str | None
    created_at: dt.datetime
    applied_by: str | None
    applied_at: dt.datetime | None
    undone_by: str | None
    undone_at: dt.datetime | None
    summary: ImportSummaryOut
    problems: list[ImportProblemOut]
    changes: list[dict[str, Any]] | None = Field(
        None,
        description=(
            "the staged rows that create or update a record (each with sheet, row, action, "
            "key, values and, for updates, the field changes before -> after); "
            "on a single batch only"
        ),
    )

    @classmethod
    def of(cls, batch: ImportBatch) -> ImportOut:
        staged = batch.rows
        changes = (
            None
            if staged is None
            else [
                {k: v for k, v in row.items() if k != "before"}
                for row in staged
                if row["action"] != "unchanged"
            ]
        )
        return cls(
            id=batch.id,
            kind=batch.kind,
            file_name=batch.file_name,
            file_kind=batch.file_kind,
            status=batch.status,
            created_by=batch.created_by,
            created_at=batch.created_at,
            applied_by=batch.applied_by,
            applied_at=batch.applied_at,
            undone_by=batch.undone_by,
            undone_at=batch.undone_at,
            summary=ImportSummaryOut.model_validate(batch.summary),
            problems=[ImportProblemOut.model_validate(p) for p in batch.problems],
            changes=changes,
        )
