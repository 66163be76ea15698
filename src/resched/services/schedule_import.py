"""Importing an interchange document as a new DRAFT schedule version, in one audited transaction.

The document's people and shift types are matched by code to the program's (an unknown code is
an error naming its path); the program's own definitions, rules and PGY levels apply, and where
the document says otherwise a note says so. The draft holds the document's assignments dated
inside its range: those before it are look-back context, which the published record provides
once the schedule is stored. Absences and logged work are managed on their own, not imported.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from resched.core.errors import Invalid
from resched.core.interchange import Note, parse_schedule_with_notes
from resched.core.model import AcademicYear, Assignment, Person, ScheduleStatus, ShiftType
from resched.core.rules import DateRange, ScheduleInput
from resched.db.repositories import (
    AcademicYearRepository,
    PeopleRepository,
    ProgramRepository,
    ShiftTypeRepository,
)
from resched.db.repositories.schedule import (
    ScheduleVersion,
    ScheduleVersionRepository,
    ShiftAssignmentRepository,
)
from resched.services.audit import ActorLike, record
from resched.services.common import SessionFactory, write
from resched.services.schedules import ENTITY, invalid

ACTION = "import"
MAX_LABEL = 120
_SHIFT_FIELDS = ("start", "minutes", "transition_minutes", "kind", "requires_supervision")


@dataclass(frozen=True, slots=True)
class ImportResult:
    version: ScheduleVersion
    notes: tuple[Note, ...]


def import_schedule(
    *, factory: SessionFactory, document: Any, label: str = "", actor: ActorLike = None
) -> ImportResult:
    """Store a decoded ``resched.schedule/v1`` document as a draft of the academic year holding
    its range. Invalid (with ``details["errors"]`` paths) for an unreadable document, unknown
    people or shift codes, a range outside every academic year, or duplicate assignments."""
    parsed = parse_schedule_with_notes(document)
    s = parsed.schedule
    label = draft_label(label, s.range)
    notes = list(parsed.notes)
    with write(factory) as session:
        year = year_of(session, s.range)
        people = _match_people(session, s.people, year, notes)
        shifts = _match_shifts(session, s.shift_types, notes)
        kept = _kept_assignments(s, people, notes)
        _note_unimported(s, session, notes)
        reason = f"interchange document, range {s.range.start}..{s.range.end}"
        version = store_draft(
            session,
            year=year,
            label=label,
            assignments=kept,
            shift_ids=shifts,
            actor=actor,
            reason=reason,
        )
    return ImportResult(version, tuple(notes))


def draft_label(label: str, rng: DateRange) -> str:
    """The label given (Invalid, path ``label``, when too long), else one naming the range."""
    label = label.strip() or f"Imported {rng.start.isoformat()} to {rng.end.isoformat()}"
    if len(label) > MAX_LABEL:
        raise invalid("label", f"at most {MAX_LABEL} characters")
    return label


def store_draft(
    session: Session,
    *,
    year: AcademicYear,
    label: str,
    assignments: Iterable[Assignment],
    shift_ids: Mapping[str, int],
    actor: ActorLike,
    reason: str,
) -> ScheduleVersion:
    """The one way an import stores its draft (assignments on the program's person ids),
    audited as ``import`` in the caller's transaction."""
    repo = ScheduleVersionRepository(session)
    assert year.id is not None
    version_id = repo.add(academic_year_id=year.id, label=label, status=ScheduleStatus.DRAFT)
    ShiftAssignmentRepository(session).add_many(version_id, assignments, shift_ids)
    version = repo.get(version_id)
    assert version is not None
    record(
        session,
        actor=actor,
        action=ACTION,
        entity=ENTITY,
        entity_id=version_id,
        after=version,
        reason=reason,
    )
    return version


def year_of(session: Session, rng: DateRange) -> AcademicYear:
    """The academic year that holds the whole range; Invalid (path ``range``) if none does."""
    years = AcademicYearRepository(session).all()
    for year in years:
        if year.start <= rng.start and rng.end <= year.end:
            return year
    held = "; ".join(f"{y.label}: {y.start}..{y.end}" for y in years) or "none is set up"
    raise invalid("range", f"{rng.start}..{rng.end} is not inside one academic year ({held})")


def _match_people(
    session: Session, people: Sequence[Person], year: AcademicYear, notes: list[Note]
) -> dict[int, int]:
    """Document person id (its position + 1) -> the program's person id."""
    stored = {p.code: p for p in PeopleRepository(session).in_year(year.id or 0)}
    errors, found = [], {}
    for p in people:
        path = f"people[{p.id - 1}]"
        match = stored.get(p.code)
        if match is None:
            errors.append((f"{path}.id", f'unknown person "{p.code}"'))
            continue
        found[p.id] = match.id
        if match.role is not p.role or (p.pgy is not None and match.pgy != p.pgy):
            level = f", PGY-{match.pgy}" if match.pgy else ""
            what = f"{match.code} ({match.role.value}{level})"
            notes.append(Note(path, f"differs from the program's {what}; the program's is used"))
    _raise(errors)
    return found


def _match_shifts(
    session: Session, shift_types: Sequence[ShiftType], notes: list[Note]
) -> dict[str, int]:
    """Shift code -> the program's shift type id."""
    stored = {s.code: s for s in ShiftTypeRepository(session).all()}
    errors = []
    for i, s in enumerate(shift_types):
        match = stored.get(s.code)
        if match is None:
            errors.append((f"shift_types[{i}].code", f'unknown shift type "{s.code}"'))
            continue
        differ = [f for f in _SHIFT_FIELDS if getattr(s, f) != getattr(match, f)]
        if differ:
            what = f"{s.code} in {', '.join(differ)}"
            notes.append(
                Note(
                    f"shift_types[{i}]", f"differs from the program's {what}; the program's is used"
                )
            )
    _raise(errors)
    return {code: s.id for code, s in stored.items() if s.id is not None}


def _kept_assignments(
    s: ScheduleInput, people: Mapping[int, int], notes: list[Note]
) -> list[Assignment]:
    """The assignments inside the range, on the program's person ids. The reader has already
    refused repeated assignments (resched.core.interchange.assignments), so each one fits the
    table's one row per person, date and shift."""
    kept = [
        Assignment(people[a.person_id], a.date, a.shift_code)
        for a in s.assignments
        if s.range.contains(a.date)
    ]
    outside = len(s.assignments) - len(kept)
    if outside:
        notes.append(Note("assignments", f"{outside} dated outside the range; not imported"))
    return kept


def _note_unimported(s: ScheduleInput, session: Session, notes: list[Note]) -> None:
    if s.absences:
        notes.append(Note("absences", f"{len(s.absences)} not imported; the program's apply"))
    if s.logged_work:
        notes.append(Note("logged_work", f"{len(s.logged_work)} not imported; the program's apply"))
    program = ProgramRepository(session).get()
    if program is not None and (program.timezone, program.rules) != (
        s.program.timezone,
        s.program.rules,
    ):
        notes.append(Note("program", "differs from the program's settings; those are used"))


def _raise(errors: Iterable[tuple[str, str]]) -> None:
    listed = list(errors)
    if not listed:
        return
    first = f"{listed[0][0]}: {listed[0][1]}"
    more = f" (and {len(listed) - 1} more)" if len(listed) > 1 else ""
    raise Invalid(
        first + more, details={"errors": [{"path": p, "message": m} for p, m in listed[:100]]}
    )
