"""The published block plan as date spans: who is on which rotation from when to when.

Today, My schedule, the schedule views and the candidate finder all need "the rotation of this
day"; they read it here, in one query, with a half block narrowed to its half.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from resched.core.calendar import split_block
from resched.core.model import Block, Rotation
from resched.db.tables import BlockAssignmentRow, BlockRow, RotationRow


@dataclass(frozen=True, slots=True)
class PlannedSpan:
    person_id: int
    block_number: int
    first: dt.date
    last: dt.date
    rotation: Rotation


def planned_spans(
    session: Session,
    version_ids: Collection[int],
    start: dt.date,
    end: dt.date,
    *,
    person_id: int | None = None,
) -> list[PlannedSpan]:
    """The rotations of ``version_ids``' plans over ``start``..``end`` (of one person, if
    named), by first day; a half block's span is its half (one query)."""
    if not version_ids:
        return []
    stmt = (
        select(
            BlockAssignmentRow.person_id,
            BlockAssignmentRow.half,
            BlockRow.number,
            BlockRow.start_date,
            BlockRow.end_date,
            RotationRow.code,
            RotationRow.name,
            RotationRow.colour,
            RotationRow.id,
        )
        .join(BlockRow, BlockRow.id == BlockAssignmentRow.block_id)
        .join(RotationRow, RotationRow.id == BlockAssignmentRow.rotation_id)
        .where(
            BlockAssignmentRow.version_id.in_(list(version_ids)),
            BlockRow.start_date <= end,
            BlockRow.end_date >= start,
        )
        .order_by(BlockRow.start_date, BlockAssignmentRow.half)
    )
    if person_id is not None:
        stmt = stmt.where(BlockAssignmentRow.person_id == person_id)
    spans = []
    for pid, half, number, first, last, code, name, colour, rotation_id in session.execute(stmt):
        block = Block(number, first, last)
        if half and block.days >= 2:
            part = split_block(block)[half - 1]
            first, last = part.start, part.end
        rotation = Rotation(code=code, name=name, colour=colour, id=rotation_id)
        spans.append(PlannedSpan(pid, number, first, last, rotation))
    return spans


Plan = dict[int, list[tuple[dt.date, dt.date, Rotation]]]  # person id -> (first, last, rotation)


def plan_between(session: Session, version_id: int, start: dt.date, end: dt.date) -> Plan:
    """Each person's rotations over ``start``..``end`` as date spans, a half block its half
    (one query)."""
    plan: Plan = defaultdict(list)
    for span in planned_spans(session, (version_id,), start, end):
        plan[span.person_id].append((span.first, span.last, span.rotation))
    return plan
