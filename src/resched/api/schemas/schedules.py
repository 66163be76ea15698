"""Stored schedule versions, and the answer to an import."""

from __future__ import annotations

import datetime as dt

from resched.api.schemas.common import Instant, Output
from resched.core.interchange import Note
from resched.core.model import ScheduleStatus
from resched.db.repositories.schedule import ScheduleVersion
from resched.services.candidates import ShiftCandidates


class ScheduleVersionOut(Output):
    id: int
    academic_year_id: int
    academic_year: str
    status: ScheduleStatus
    label: str
    created_at: Instant
    published_at: Instant | None
    assignments: int
    first_day: dt.date | None
    last_day: dt.date | None

    @classmethod
    def of(cls, version: ScheduleVersion) -> ScheduleVersionOut:
        return cls(
            id=version.id,
            academic_year_id=version.academic_year_id,
            academic_year=version.academic_year_label,
            status=version.status,
            label=version.label,
            created_at=version.created_at,
            published_at=version.published_at,
            assignments=version.assignments,
            first_day=version.first_day,
            last_day=version.last_day,
        )


class NoteOut(Output):
    """Something the import ignored or replaced, at a path of the document."""

    path: str
    message: str


class ImportOut(Output):
    version: ScheduleVersionOut
    notes: list[NoteOut]

    @classmethod
    def of(cls, version: ScheduleVersion, notes: tuple[Note, ...]) -> ImportOut:
        return cls(
            version=ScheduleVersionOut.of(version),
            notes=[NoteOut(path=n.path, message=n.message) for n in notes],
        )


class CandidateOut(Output):
    person: str  # code
    name: str
    role: str
    pgy: int | None
    calls: int
    weekend_shifts: int
    holiday_shifts: int
    warnings: list[str]  # what taking the shift would create, in words (no violation)


class CandidatesOut(Output):
    version_id: int
    day: dt.date
    shift: str
    person: str  # who gives the shift away
    candidates: list[CandidateOut]  # fewest calls, weekend and holiday shifts first

    @classmethod
    def of(cls, found: ShiftCandidates) -> CandidatesOut:
        return cls(
            version_id=found.version_id,
            day=found.day,
            shift=found.shift.code,
            person=found.holder.code,
            candidates=[
                CandidateOut(
                    person=c.person.code,
                    name=c.person.name,
                    role=c.person.role.value,
                    pgy=c.person.pgy,
                    calls=c.fairness.calls,
                    weekend_shifts=c.fairness.weekend_shifts,
                    holiday_shifts=c.fairness.holiday_shifts,
                    warnings=[f.message for f in c.warnings],
                )
                for c in found.candidates
            ],
        )
