"""Open slots: the coverage gaps of the published schedule (core.coverage_gaps), which anyone
eligible may volunteer to pick up, and the check that a slot is still open when a pickup is
approved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from resched.core.candidates import shift_rules
from resched.core.coverage_gaps import CoverageGap, coverage_gaps
from resched.core.errors import Conflict, Invalid
from resched.core.model import AcademicYear, CoverageRequirement, Person
from resched.core.solver.shifts.candidates import is_eligible
from resched.db.repositories import AcademicYearRepository, CoverageRepository
from resched.db.repositories.schedule import ScheduleVersionRepository
from resched.services.changes.model import Slot
from resched.services.common import SessionFactory, read
from resched.services.plan_spans import planned_spans
from resched.services.schedules import load_in
from resched.services.swaps.offers import version_for

# How far ahead the board lists open slots.
SLOT_DAYS = 28


@dataclass(frozen=True, slots=True)
class Slots:
    """The open slots of ``start``..``end`` in a version, and whom each need admits."""

    version_id: int
    gaps: tuple[CoverageGap, ...]


def list_open_slots(*, factory: SessionFactory, today: dt.date, days: int = SLOT_DAYS) -> Slots:
    """The coverage gaps from ``today`` on (within its academic year), by day then shift."""
    with read(factory) as session:
        try:
            version_id = version_for(session, today)[0]
        except Invalid:
            return Slots(0, ())
        return Slots(version_id, tuple(gaps_in(session, version_id, today, days)))


def gaps_in(session: Session, version_id: int, start: dt.date, days: int) -> list[CoverageGap]:
    version = ScheduleVersionRepository(session).get(version_id)
    assert version is not None
    year = AcademicYearRepository(session).get(version.academic_year_id)
    assert year is not None
    end = min(start + dt.timedelta(days=days - 1), year.end)
    if end < start:
        return []
    stored = load_in(session, version, start, end)
    plan = _plan(session, version_id, start, end)
    return coverage_gaps(
        CoverageRepository(session).all(),
        [a for a in stored.schedule.assignments if start <= a.date <= end],
        stored.schedule.people,
        plan,
        frozenset(year.holidays),
        start,
        end,
    )


def require_open_slot(
    session: Session, version_id: int, day: dt.date, shift: str, person_id: int
) -> None:
    """Conflict naming ``shift`` when no coverage requirement of ``shift`` lacks people on
    ``day`` (any more); Invalid naming ``person_id`` when the volunteer is not eligible for it
    (role, PGY, rotation, credentials, as the requirement says)."""
    if not any(g.shift_code == shift for g in gaps_in(session, version_id, day, 1)):
        raise Conflict(
            f"shift: no open {shift} slot on {day.isoformat()} (any more)",
            details={"field": "shift"},
        )
    problem = ineligible(session, version_id, (Slot("", day, shift),), {"": person_id})
    if problem:
        raise Invalid(f"person_id: {problem}", details={"field": "person_id"})


@dataclass(frozen=True, slots=True)
class EligibilityReads:
    """What ``ineligible`` reads of a version over ``start``..``end``, read once for many
    checks (the swap board's offers)."""

    year: AcademicYear
    needs: tuple[CoverageRequirement, ...]
    people: dict[int, Person]
    plan: dict[int, list[tuple[dt.date, dt.date, str]]]


def eligibility_reads(
    session: Session, version_id: int, start: dt.date, end: dt.date
) -> EligibilityReads:
    version = ScheduleVersionRepository(session).get(version_id)
    assert version is not None
    year = AcademicYearRepository(session).get(version.academic_year_id)
    assert year is not None
    needs = tuple(CoverageRepository(session).all())
    people = {p.id: p for p in load_in(session, version, year.start, year.start).schedule.people}
    return EligibilityReads(year, needs, people, _plan(session, version_id, start, end))


def ineligible(
    session: Session,
    version_id: int,
    slots: Sequence[Slot],
    ids: Mapping[str, int],
    reads: EligibilityReads | None = None,
) -> str | None:
    """Why someone may not work one of ``slots`` (None when all may): the coverage
    requirements of the shift that apply that day admit them by role, PGY level, rotation that
    day and credentials (a shift no requirement covers admits anyone). ``ids``: code -> id;
    ``reads``: the version's reads over the slots' days, when the caller has them."""
    if not slots:
        return None
    if reads is None:
        days = [slot.day for slot in slots]
        reads = eligibility_reads(session, version_id, min(days), max(days))
    for slot in slots:
        person = reads.people.get(ids[slot.person])
        rules = shift_rules(reads.needs, slot.shift, slot.day, reads.year.holidays)
        spans = reads.plan.get(ids[slot.person], [])
        rotation = next((r for first, last, r in spans if first <= slot.day <= last), None)
        if person is None or (rules and not any(is_eligible(person, rotation, r) for r in rules)):
            name = person.name if person else "this person"
            return f"{name} is not eligible for the {slot.shift} shift on {slot.day.isoformat()}"
    return None


def _plan(
    session: Session, version_id: int, start: dt.date, end: dt.date
) -> dict[int, list[tuple[dt.date, dt.date, str]]]:
    plan: dict[int, list[tuple[dt.date, dt.date, str]]] = {}
    for span in planned_spans(session, (version_id,), start, end):
        plan.setdefault(span.person_id, []).append((span.first, span.last, span.rotation.code))
    return plan
