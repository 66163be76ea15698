"""What schedule generation and publishing read and write beyond the shift assignments: block
assignments of a version, the requests of a period, a version's generation report and its
status. A fixed number of queries per call, whatever the row count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from resched.core.model import BlockAssignment, Request, RequestKind, RequestStatus, ScheduleStatus
from resched.db.mappers import request_from_row
from resched.db.mappers.schedule import WHOLE_BLOCK
from resched.db.tables import (
    BlockAssignmentRow,
    BlockRow,
    RequestRow,
    RotationRow,
    ScheduleVersionRow,
    ShiftTypeRow,
)


@dataclass(frozen=True, slots=True)
class GenerationRecord:
    """A version's generation report (None for an imported version) and violation count."""

    version_id: int
    report: Mapping[str, Any] | None
    violation_count: int


def block_assignments(session: Session, version_id: int) -> list[BlockAssignment]:
    """The rotation plan a version holds, by block number, half and person."""
    stmt = (
        select(BlockAssignmentRow, BlockRow.number, RotationRow.code)
        .join(BlockRow, BlockRow.id == BlockAssignmentRow.block_id)
        .join(RotationRow, RotationRow.id == BlockAssignmentRow.rotation_id)
        .where(BlockAssignmentRow.version_id == version_id)
        .order_by(BlockRow.number, BlockAssignmentRow.half, BlockAssignmentRow.person_id)
    )
    return [
        BlockAssignment(
            row.person_id,
            number,
            code,
            half=None if row.half == WHOLE_BLOCK else row.half,
            locked=row.locked,
        )
        for row, number, code in session.execute(stmt)
    ]


def add_block_assignments(
    session: Session,
    version_id: int,
    assignments: Iterable[BlockAssignment],
    block_ids: Mapping[int, int],
    rotation_ids: Mapping[str, int],
) -> int:
    rows = [
        {
            "version_id": version_id,
            "person_id": a.person_id,
            "block_id": block_ids[a.block_number],
            "half": WHOLE_BLOCK if a.half is None else a.half,
            "rotation_id": rotation_ids[a.rotation_code],
            "locked": a.locked,
        }
        for a in assignments
    ]
    if rows:
        session.execute(insert(BlockAssignmentRow), rows)
    return len(rows)


def block_ids(session: Session, academic_year_id: int) -> dict[int, int]:
    """Block number -> block id of one academic year."""
    stmt = select(BlockRow.number, BlockRow.id).where(BlockRow.academic_year_id == academic_year_id)
    return dict(session.execute(stmt).all())


# A granted request stays weighed: a coordinator who granted a day off expects the next
# generation to keep it; a declined or withdrawn one is no longer asked for.
WEIGHED_REQUESTS = (RequestStatus.OPEN, RequestStatus.GRANTED)


def weighed_requests(
    session: Session, start: dt.date, end: dt.date, kinds: Collection[RequestKind]
) -> list[Request]:
    """Open and granted requests of ``kinds`` touching ``start``..``end``: the wishes a
    generation weighs."""
    shift_codes = dict(session.execute(select(ShiftTypeRow.id, ShiftTypeRow.code)).all())
    rotation_codes = dict(session.execute(select(RotationRow.id, RotationRow.code)).all())
    stmt = (
        select(RequestRow)
        .where(
            RequestRow.kind.in_(list(kinds)),
            RequestRow.status.in_(WEIGHED_REQUESTS),
            RequestRow.start_date <= end,
            RequestRow.end_date >= start,
        )
        .order_by(RequestRow.person_id, RequestRow.start_date, RequestRow.id)
    )
    return [request_from_row(r, shift_codes, rotation_codes) for r in session.scalars(stmt)]


def save_generation(
    session: Session, version_id: int, report: Mapping[str, Any], violation_count: int
) -> None:
    session.execute(
        update(ScheduleVersionRow)
        .where(ScheduleVersionRow.id == version_id)
        .values(generation=dict(report), violation_count=violation_count)
    )


def generation_of(session: Session, version_id: int) -> GenerationRecord | None:
    found = session.execute(
        select(ScheduleVersionRow.generation, ScheduleVersionRow.violation_count).where(
            ScheduleVersionRow.id == version_id
        )
    ).first()
    if found is None:
        return None
    report, count = found
    return GenerationRecord(version_id, report, count)


def set_status(
    session: Session,
    version_id: int,
    status: ScheduleStatus,
    published_at: dt.datetime | None = None,
) -> None:
    values: dict[str, Any] = {"status": status}
    if published_at is not None:
        values["published_at"] = published_at
    session.execute(
        update(ScheduleVersionRow).where(ScheduleVersionRow.id == version_id).values(**values)
    )


def published_ids(session: Session, academic_year_id: int) -> list[int]:
    """The published versions of a year: one, unless an earlier bug or import left more."""
    stmt = (
        select(ScheduleVersionRow.id)
        .where(
            ScheduleVersionRow.academic_year_id == academic_year_id,
            ScheduleVersionRow.status == ScheduleStatus.PUBLISHED,
        )
        .order_by(ScheduleVersionRow.id)
    )
    return list(session.scalars(stmt))


def lock_version(session: Session, version_id: int) -> ScheduleStatus | None:
    """The version's status, read with a row lock on PostgreSQL (two publishes of one year
    must not both archive the same old version); SQLite locks the whole database on write."""
    stmt = (
        select(ScheduleVersionRow.status)
        .where(ScheduleVersionRow.id == version_id)
        .with_for_update()
    )
    return session.scalar(stmt)
