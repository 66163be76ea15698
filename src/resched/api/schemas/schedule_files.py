"""The answers of the schedule-file import: its preview and the stored draft."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from resched.api.schemas.common import Output
from resched.api.schemas.schedules import ScheduleVersionOut
from resched.core.schedule_files import Problem
from resched.db.repositories.schedule import ScheduleVersion
from resched.services.schedule_files import SchedulePreview


class ProblemOut(Output):
    sheet: str = Field(description="worksheet name; the file name for a CSV or JSON document")
    row: int | None = Field(description="1-based row (CSV line); null for the whole sheet")
    column: str = Field(description='column letter ("D"), or the path in a JSON document')
    message: str

    @classmethod
    def of(cls, p: Problem) -> ProblemOut:
        return cls(sheet=p.sheet, row=p.row, column=p.column, message=p.message)


class FindingCountsOut(Output):
    violations: int
    warnings: int


class SchedulePreviewOut(Output):
    """What the draft will hold; nothing is stored. ``problems`` empty: it can be imported."""

    file_name: str
    kind: str = Field(description="xlsx, csv or json (detected from the content)")
    label: str
    start: dt.date | None
    end: dt.date | None
    academic_year: str = Field(description='label of the year holding the range, else ""')
    people: int
    assignments: int
    per_person: dict[str, int] = Field(description="assignments per person code")
    per_shift_type: dict[str, int] = Field(description="assignments per shift type code")
    findings: FindingCountsOut | None = Field(
        description="rule findings of the draft-to-be over its range (no look-back); null "
        "when there are problems"
    )
    problems: list[ProblemOut]
    notes: list[str]

    @classmethod
    def of(cls, p: SchedulePreview) -> SchedulePreviewOut:
        s = p.summary
        return cls(
            file_name=p.file_name,
            kind=p.kind,
            label=p.label,
            start=p.start,
            end=p.end,
            academic_year=p.academic_year,
            people=s["people"],
            assignments=s["assignments"],
            per_person=s["per_person"],
            per_shift_type=s["per_shift_type"],
            findings=None if p.findings is None else FindingCountsOut(**p.findings),
            problems=[ProblemOut.of(x) for x in p.problems],
            notes=list(p.notes),
        )


class ScheduleFileImportOut(Output):
    version: ScheduleVersionOut
    preview: SchedulePreviewOut

    @classmethod
    def of(cls, version: ScheduleVersion, preview: SchedulePreview) -> ScheduleFileImportOut:
        return cls(version=ScheduleVersionOut.of(version), preview=SchedulePreviewOut.of(preview))
