"""Who could take a shift: the candidate finder (resched.core.candidates) on a stored version.

The version is checked over its whole academic year (with the usual look-back), so the
fairness counts are the year's so far and every rule window around the day is complete.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from resched.core.candidates import Candidate, Wish, shift_rules
from resched.core.candidates import find_candidates as find_in_context
from resched.core.errors import Invalid, NotFound
from resched.core.model import Person, RequestKind, RequestStatus, ShiftType
from resched.core.rules import ScheduleContext
from resched.db.repositories import AcademicYearRepository, CoverageRepository
from resched.db.tables import RequestRow, ShiftTypeRow
from resched.services.absence_privacy import without_absence_details
from resched.services.common import SessionFactory, read
from resched.services.permissions import EVERY_ABSENCE, AbsenceVisibility
from resched.services.plan_spans import planned_spans
from resched.services.schedules import get_schedule, invalid, load_schedule


@dataclass(frozen=True, slots=True)
class ShiftCandidates:
    """The shift to be covered, who holds it, and who could take it (fairest first)."""

    version_id: int
    day: dt.date
    shift: ShiftType
    holder: Person
    candidates: tuple[Candidate, ...]


def find_candidates(
    *,
    factory: SessionFactory,
    version_id: int,
    person: str,
    day: dt.date,
    shift: str,
    include_drafts: bool = True,
    absences: AbsenceVisibility = EVERY_ABSENCE,
) -> ShiftCandidates:
    """The candidates for ``person``'s ``shift`` on ``day`` in the version. NotFound for an
    unknown version, person (``person``) or shift type (``shift``); Invalid when the day is
    outside the version's year (``day``) or the person holds no such shift that day (``shift``)."""
    version = get_schedule(factory=factory, version_id=version_id, include_drafts=include_drafts)
    with read(factory) as session:
        year = AcademicYearRepository(session).get(version.academic_year_id)
        coverage = CoverageRepository(session).all()
        spans = planned_spans(session, (version_id,), day, day)
        wishes = read_wishes(session, day, shift)
    if year is None or not year.start <= day <= year.end:
        raise invalid("day", f"{day.isoformat()} is outside the version's academic year")
    stored = load_schedule(
        factory=factory,
        version_id=version_id,
        start=year.start,
        end=year.end,
        include_drafts=include_drafts,
    )
    data = stored.schedule
    holder = next((p for p in data.people if p.code == person), None)
    if holder is None or holder.id is None:
        raise NotFound(f"person: no person {person!r} in this schedule", details=_field("person"))
    shift_type = next((s for s in data.shift_types if s.code == shift), None)
    if shift_type is None:
        raise NotFound(f"shift: no shift type {shift!r}", details=_field("shift"))
    taken = next(
        (
            a
            for a in data.assignments[stored.look_back :]
            if (a.person_id, a.date, a.shift_code) == (holder.id, day, shift)
        ),
        None,
    )
    if taken is None:
        raise _not_held(holder, shift, day)
    rotations = {s.person_id: s.rotation.code for s in spans if s.first <= day <= s.last}
    found = find_in_context(
        ScheduleContext(data),
        taken,
        rules=shift_rules(coverage, shift, day, year.holidays),
        rotations=rotations,
        holidays=year.holidays,
        wishes=wishes,
    )
    shown = tuple(
        Candidate(
            c.person,
            c.fairness,
            tuple(without_absence_details(list(c.warnings), absences)),
            c.wish,
        )
        for c in found
    )
    return ShiftCandidates(version_id, day, shift_type, holder, shown)


# Wishes still standing: asked (open) or granted; declined and withdrawn ones are history.
_STANDING = (RequestStatus.OPEN, RequestStatus.GRANTED)
_AVOIDING = frozenset({RequestKind.DAY_OFF, RequestKind.VACATION})


def read_wishes(session: Session, day: dt.date, shift: str) -> dict[int, Wish]:
    """Person id -> what they asked about ``shift`` on ``day``; not working wins over working
    when someone asked both (leave outweighs a shift wanted)."""
    rows = session.execute(
        select(RequestRow.person_id, RequestRow.kind, ShiftTypeRow.code)
        .outerjoin(ShiftTypeRow, ShiftTypeRow.id == RequestRow.shift_type_id)
        .where(
            RequestRow.status.in_(_STANDING),
            RequestRow.start_date <= day,
            RequestRow.end_date >= day,
        )
    ).all()
    wishes: dict[int, Wish] = {}
    for person_id, kind, code in rows:
        if kind in _AVOIDING or (kind is RequestKind.SHIFT_OFF and code == shift):
            wishes[person_id] = Wish.AVOIDS
        elif kind is RequestKind.SHIFT_ON and code == shift:
            wishes.setdefault(person_id, Wish.WANTS)
    return wishes


def _field(name: str) -> dict[str, object]:
    return {"errors": [{"path": name, "message": "not found"}]}


def _not_held(holder: Person, shift: str, day: dt.date) -> Invalid:
    return invalid("shift", f"{holder.code} holds no {shift} shift on {day.isoformat()}")
