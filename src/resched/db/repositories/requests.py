"""Requests (day off, shift, rotation, vacation wishes) and the latest generated version of a
year, which the Requests page compares them with. The shift type and rotation of a request
are ids in the table and codes in the core: each repository loads both maps once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from resched.core.model import Request, RequestKind, RequestStatus, ScheduleStatus
from resched.db.mappers import fill_request_row, request_from_row
from resched.db.records import Page
from resched.db.repositories.base import RowRepository, paginate
from resched.db.tables import RequestRow, RotationRow, ScheduleVersionRow, ShiftTypeRow


class RequestRepository(RowRepository[Request, RequestRow]):
    row_type = RequestRow

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        shifts = session.execute(select(ShiftTypeRow.code, ShiftTypeRow.id))
        self.shift_ids: dict[str, int] = dict(shifts.all())
        rotations = session.execute(select(RotationRow.code, RotationRow.id))
        self.rotation_ids: dict[str, int] = dict(rotations.all())
        self._shift_codes = {v: k for k, v in self.shift_ids.items()}
        self._rotation_codes = {v: k for k, v in self.rotation_ids.items()}

    def to_core(self, row: RequestRow) -> Request:
        return request_from_row(row, self._shift_codes, self._rotation_codes)

    def fill(self, row: RequestRow, item: Request) -> RequestRow:
        return fill_request_row(row, item, self.shift_ids, self.rotation_ids)

    def list_page(
        self,
        *,
        limit: int,
        offset: int,
        person_id: int | None = None,
        kind: RequestKind | None = None,
        status: RequestStatus | None = None,
        overlapping: tuple[dt.date, dt.date] | None = None,
    ) -> Page[Request]:
        where: list[ColumnElement[bool]] = []
        if person_id is not None:
            where.append(RequestRow.person_id == person_id)
        if kind is not None:
            where.append(RequestRow.kind == kind)
        if status is not None:
            where.append(RequestRow.status == status)
        if overlapping is not None:
            start, end = overlapping
            where.extend((RequestRow.start_date <= end, RequestRow.end_date >= start))
        return paginate(
            self.session,
            RequestRow,
            where=where,
            order_by=(RequestRow.start_date, RequestRow.person_id, RequestRow.id),
            limit=limit,
            offset=offset,
            convert=self.to_core,
        )

    def same_as(self, request: Request, statuses: Collection[RequestStatus]) -> list[int]:
        """Ids of the stored requests that ask the same thing of the same person (kind,
        dates, shift type, rotation) and are in one of ``statuses``."""
        stmt = select(RequestRow.id).where(
            RequestRow.person_id == request.person_id,
            RequestRow.kind == request.kind,
            RequestRow.start_date == request.start,
            RequestRow.end_date == request.end,
            RequestRow.shift_type_id == self._id(self.shift_ids, request.shift_code),
            RequestRow.rotation_id == self._id(self.rotation_ids, request.rotation_code),
            RequestRow.status.in_(list(statuses)),
        )
        return list(self.session.scalars(stmt))

    @staticmethod
    def _id(ids: dict[str, int], code: str | None) -> int | None:
        return None if code is None else ids.get(code)


def latest_generated_version(session: Session, academic_year_id: int) -> int | None:
    """The version a year's requests are compared with: its newest draft (the latest
    generation), else its most recently published version; None if it has neither."""
    newest_draft = session.scalar(
        select(ScheduleVersionRow.id)
        .where(
            ScheduleVersionRow.academic_year_id == academic_year_id,
            ScheduleVersionRow.status == ScheduleStatus.DRAFT,
        )
        .order_by(ScheduleVersionRow.id.desc())
        .limit(1)
    )
    if newest_draft is not None:
        return newest_draft
    return session.scalar(
        select(ScheduleVersionRow.id)
        .where(
            ScheduleVersionRow.academic_year_id == academic_year_id,
            ScheduleVersionRow.status == ScheduleStatus.PUBLISHED,
        )
        .order_by(ScheduleVersionRow.id.desc())
        .limit(1)
    )
