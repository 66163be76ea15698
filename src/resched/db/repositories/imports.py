"""Import batches: the stored preview of an uploaded file and, once applied, what apply did."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, undefer

from resched.db.records import Page
from resched.db.repositories.base import paginate
from resched.db.tables import ImportBatchRow, ImportStatus
from resched.db.types import utc_now


@dataclass(frozen=True, slots=True)
class ImportBatch:
    """A batch as the services see it; ``rows`` and ``applied`` are loaded only on request
    (a list of batches never needs thousands of rows)."""

    id: int
    kind: str
    file_name: str
    file_kind: str
    status: ImportStatus
    created_by: str | None
    created_at: dt.datetime
    summary: dict[str, Any]
    problems: list[Any]
    applied_by: str | None = None
    applied_at: dt.datetime | None = None
    undone_by: str | None = None
    undone_at: dt.datetime | None = None
    rows: list[Any] | None = None
    applied: dict[str, Any] | None = None


def _batch(row: ImportBatchRow, *, full: bool = False) -> ImportBatch:
    return ImportBatch(
        id=row.id,
        kind=row.kind,
        file_name=row.file_name,
        file_kind=row.file_kind,
        status=row.status,
        created_by=row.created_by,
        created_at=row.created_at,
        summary=row.summary,
        problems=row.problems,
        applied_by=row.applied_by,
        applied_at=row.applied_at,
        undone_by=row.undone_by,
        undone_at=row.undone_at,
        rows=row.rows if full else None,
        applied=row.applied if full else None,
    )


@dataclass(frozen=True, slots=True)
class NewBatch:
    kind: str
    file_name: str
    file_kind: str
    created_by: str | None
    summary: dict[str, Any]
    problems: list[Any]
    rows: list[Any]


class ImportBatchRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, batch: NewBatch) -> ImportBatch:
        row = ImportBatchRow(
            kind=batch.kind,
            file_name=batch.file_name,
            file_kind=batch.file_kind,
            status=ImportStatus.PREVIEWED,
            created_by=batch.created_by,
            created_at=utc_now(),
            summary=batch.summary,
            problems=batch.problems,
            rows=batch.rows,
        )
        self.session.add(row)
        self.session.flush()
        return _batch(row, full=True)

    def get(self, batch_id: int, *, full: bool = False, lock: bool = False) -> ImportBatch | None:
        """The batch; ``full`` loads its rows and what apply did; ``lock`` holds the row for
        the caller's transaction (two clicks on Apply cannot both apply)."""
        stmt = select(ImportBatchRow).where(ImportBatchRow.id == batch_id)
        if full:
            stmt = stmt.options(undefer(ImportBatchRow.rows), undefer(ImportBatchRow.applied))
        if lock:
            stmt = stmt.with_for_update()
        row = self.session.scalars(stmt).first()
        return None if row is None else _batch(row, full=full)

    def list_page(self, *, limit: int, offset: int, kind: str | None = None) -> Page[ImportBatch]:
        where = [] if kind is None else [ImportBatchRow.kind == kind]
        return paginate(
            self.session,
            ImportBatchRow,
            where=where,
            order_by=(ImportBatchRow.created_at.desc(), ImportBatchRow.id.desc()),
            limit=limit,
            offset=offset,
            convert=_batch,
        )

    def mark_applied(self, batch_id: int, *, by: str | None, applied: dict[str, Any]) -> None:
        row = self._row(batch_id)
        row.status, row.applied_by, row.applied_at = ImportStatus.APPLIED, by, utc_now()
        row.applied = applied
        self.session.flush()

    def mark_undone(self, batch_id: int, *, by: str | None) -> None:
        row = self._row(batch_id)
        row.status, row.undone_by, row.undone_at = ImportStatus.UNDONE, by, utc_now()
        self.session.flush()

    def mark_expired(self, batch_id: int) -> None:
        self._row(batch_id).status = ImportStatus.EXPIRED
        self.session.flush()

    def _row(self, batch_id: int) -> ImportBatchRow:
        row = self.session.get(ImportBatchRow, batch_id)
        if row is None:
            raise LookupError(f"import batch {batch_id} vanished inside its transaction")
        return row
