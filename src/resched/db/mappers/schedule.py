"""Assignments: rows <-> core.

Rows hold ids (block, shift type, rotation); core objects hold numbers and codes. The caller
passes the lookup maps it loaded once per query, so converting a page of rows costs no query.
``half`` 0 in the database is the whole block, None in the core (see tables/schedule.py).
"""

from __future__ import annotations

from collections.abc import Mapping

from resched.core.model import Assignment, BlockAssignment
from resched.db.tables import BlockAssignmentRow, ShiftAssignmentRow

WHOLE_BLOCK = 0


def assignment_from_row(row: ShiftAssignmentRow, shift_codes: Mapping[int, str]) -> Assignment:
    return Assignment(
        id=row.id,
        person_id=row.person_id,
        date=row.day,
        shift_code=shift_codes[row.shift_type_id],
        source=row.source,
        locked=row.locked,
    )


def fill_assignment_row(
    row: ShiftAssignmentRow, assignment: Assignment, version_id: int, shift_ids: Mapping[str, int]
) -> ShiftAssignmentRow:
    row.version_id = version_id
    row.person_id = assignment.person_id
    row.day = assignment.date
    row.shift_type_id = shift_ids[assignment.shift_code]
    row.source = assignment.source
    row.locked = assignment.locked
    return row


def block_assignment_from_row(
    row: BlockAssignmentRow, block_numbers: Mapping[int, int], rotation_codes: Mapping[int, str]
) -> BlockAssignment:
    return BlockAssignment(
        person_id=row.person_id,
        block_number=block_numbers[row.block_id],
        rotation_code=rotation_codes[row.rotation_id],
        half=None if row.half == WHOLE_BLOCK else row.half,
        locked=row.locked,
    )


def fill_block_assignment_row(
    row: BlockAssignmentRow,
    assignment: BlockAssignment,
    version_id: int,
    block_ids: Mapping[int, int],
    rotation_ids: Mapping[str, int],
) -> BlockAssignmentRow:
    row.version_id = version_id
    row.person_id = assignment.person_id
    row.block_id = block_ids[assignment.block_number]
    row.half = WHOLE_BLOCK if assignment.half is None else assignment.half
    row.rotation_id = rotation_ids[assignment.rotation_code]
    row.locked = assignment.locked
    return row
