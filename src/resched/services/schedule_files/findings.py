"""The rule findings of a draft-to-be, for the preview."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from resched.core.model import AcademicYear, Assignment
from resched.core.rules import DateRange, ScheduleInput, Severity, check_all
from resched.core.rules.context import ScheduleContext
from resched.core.schedule_files import FileAssignment
from resched.db.repositories import PeopleRepository, ProgramRepository, ShiftTypeRepository
from resched.db.repositories.schedule import approved_absences_between


def count_findings(
    session: Session, year: AcademicYear, rng: DateRange, assignments: Sequence[FileAssignment]
) -> dict[str, int]:
    """Violations and warnings of the assignments over their range, with the approved leave
    in it (without the 27-day look-back a stored draft is checked with: a preview is a first
    look, the stored draft's check is the record)."""
    program = ProgramRepository(session).get()
    if program is None:
        return {"violations": 0, "warnings": 0}
    named = {a.person for a in assignments}
    people = tuple(p for p in PeopleRepository(session).in_year(year.id or 0) if p.code in named)
    ids = {p.code: p.id for p in people}
    absences = tuple(
        a
        for a in approved_absences_between(session, rng.start, rng.end)
        if a.person_id in ids.values()
    )
    schedule = ScheduleInput(
        program=program,
        people=people,
        shift_types=tuple(ShiftTypeRepository(session).all()),
        assignments=tuple(Assignment(ids[a.person], a.day, a.shift) for a in assignments),
        range=rng,
        absences=absences,
        blocks=year.blocks,
    )
    found = check_all(ScheduleContext(schedule))
    violations = sum(1 for f in found if f.severity is Severity.VIOLATION)
    return {"violations": violations, "warnings": len(found) - violations}
