"""Stored schedule versions, and the answer to an import."""

from __future__ import annotations

import datetime as dt

from resched.api.schemas.common import Instant, Output
from resched.core.interchange import Note
from resched.core.model import ScheduleStatus
from resched.db.repositories.schedule import ScheduleVersion


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
