"""Absences, requests and logged work: rows <-> core.

Requests reference shift types and rotations by id in the database and by code in the core;
the caller passes the id -> code maps it loaded once, so converting a page costs no query.
"""

from __future__ import annotations

from collections.abc import Mapping

from resched.core.model import Absence, LoggedWork, Request
from resched.db.tables import AbsenceRow, LoggedWorkRow, RequestRow


def absence_from_row(row: AbsenceRow) -> Absence:
    return Absence(
        id=row.id,
        person_id=row.person_id,
        start=row.start_date,
        end=row.end_date,
        type=row.type,
        status=row.status,
        note=row.note,
    )


def fill_absence_row(row: AbsenceRow, absence: Absence) -> AbsenceRow:
    row.person_id = absence.person_id
    row.start_date = absence.start
    row.end_date = absence.end
    row.type = absence.type
    row.status = absence.status
    row.note = absence.note
    return row


def request_from_row(
    row: RequestRow, shift_codes: Mapping[int, str], rotation_codes: Mapping[int, str]
) -> Request:
    return Request(
        id=row.id,
        person_id=row.person_id,
        kind=row.kind,
        start=row.start_date,
        end=row.end_date,
        shift_code=None if row.shift_type_id is None else shift_codes[row.shift_type_id],
        rotation_code=None if row.rotation_id is None else rotation_codes[row.rotation_id],
        weight=row.weight,
        status=row.status,
        note=row.note,
    )


def fill_request_row(
    row: RequestRow, request: Request, shift_ids: Mapping[str, int], rotation_ids: Mapping[str, int]
) -> RequestRow:
    row.person_id = request.person_id
    row.kind = request.kind
    row.start_date = request.start
    row.end_date = request.end
    row.shift_type_id = None if request.shift_code is None else shift_ids[request.shift_code]
    row.rotation_id = None if request.rotation_code is None else rotation_ids[request.rotation_code]
    row.weight = request.weight
    row.status = request.status
    row.note = request.note
    return row


def logged_work_from_row(row: LoggedWorkRow) -> LoggedWork:
    return LoggedWork(
        id=row.id,
        person_id=row.person_id,
        start=row.start_at,
        end=row.end_at,
        kind=row.kind,
        note=row.note,
    )


def fill_logged_work_row(row: LoggedWorkRow, work: LoggedWork) -> LoggedWorkRow:
    row.person_id = work.person_id
    row.start_at = work.start
    row.end_at = work.end
    row.kind = work.kind
    row.note = work.note
    return row
