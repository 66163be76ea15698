"""Absences: whole local days away."""

from __future__ import annotations

import datetime as dt

from resched.api.schemas.common import Day, Id, Input, Note, Output
from resched.core.model import Absence, AbsenceStatus, AbsenceType


class AbsenceIn(Input):
    person_id: Id
    start: Day
    end: Day
    type: AbsenceType
    status: AbsenceStatus = AbsenceStatus.REQUESTED
    note: Note = ""

    def to_core(self) -> Absence:
        return Absence(
            person_id=self.person_id,
            start=self.start,
            end=self.end,
            type=self.type,
            status=self.status,
            note=self.note,
        )


class AbsenceOut(Output):
    id: int
    person_id: int
    start: dt.date
    end: dt.date
    type: AbsenceType
    status: AbsenceStatus
    note: str

    @classmethod
    def of(cls, absence: Absence) -> AbsenceOut:
        assert absence.id is not None
        return cls(
            id=absence.id,
            person_id=absence.person_id,
            start=absence.start,
            end=absence.end,
            type=absence.type,
            status=absence.status,
            note=absence.note,
        )
