"""The review of a draft on the Generate page: how it was generated, its rotation plan in the
block-plan grid, a month of its shifts (people x days), and its diff against what is published.
A summary comes first (services/generation/summary.py). A published version has no diff: it
would be against itself.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from resched.core.model import AcademicYear, Person, Role, ScheduleStatus
from resched.db.repositories import PeopleRepository
from resched.db.repositories.generation import block_assignments, generation_of
from resched.db.repositories.schedule import ScheduleVersion, ShiftAssignmentRepository
from resched.services.common import SessionFactory, read
from resched.services.generation.diff import VersionDiff, diff_versions
from resched.services.generation.fairness_view import FairnessView, fairness_view
from resched.services.generation.inputs import load_year
from resched.services.generation.outcome import GenerationOutcome
from resched.services.generation.report import get_generation
from resched.services.generation.summary import VersionSummary, summarise_version
from resched.services.plan_grid import PlanView, group_by_pgy
from resched.services.schedules import get_schedule
from resched.services.years import (
    PlanVersion,
    all_rotations,
    load_program_info,
    program_today,
)


@dataclass(frozen=True, slots=True)
class CalendarRow:
    person: Person
    cells: tuple[tuple[str, ...], ...]  # shift codes per day of the month

    @property
    def group(self) -> str:
        return "Faculty" if self.person.role is Role.FACULTY else f"PGY-{self.person.pgy}"


@dataclass(frozen=True, slots=True)
class MonthCalendar:
    """One month of the draft's shifts; ``generated`` is the range the generation decided
    (the other days were copied from the base version)."""

    first: dt.date
    days: tuple[dt.date, ...]
    rows: tuple[CalendarRow, ...]
    generated: tuple[dt.date, dt.date] | None
    previous: dt.date | None
    next: dt.date | None


@dataclass(frozen=True, slots=True)
class DraftReview:
    program_name: str
    version: ScheduleVersion
    outcome: GenerationOutcome | None
    diff: VersionDiff | None  # None for the published version (nothing to compare with)
    plan: PlanView
    calendar: MonthCalendar | None
    flagged_violations: int
    summary: VersionSummary
    names: dict[int, str]
    # The generated range's spreads and call gaps in words; None when the generation stored
    # none (a rotation plan, an imported version, a draft generated before the report).
    fairness: FairnessView | None = None


def load_review(
    *, factory: SessionFactory, version_id: int, month: dt.date | None = None
) -> DraftReview:
    """NotFound for an unknown version. ``month`` (any day of it) picks the calendar's month;
    default: the month the generated range starts in, else the version's first shift."""
    version = get_schedule(factory=factory, version_id=version_id)
    outcome = get_generation(factory=factory, version_id=version_id)
    diff = None
    if version.status is not ScheduleStatus.PUBLISHED:
        diff = diff_versions(factory=factory, version_id=version_id)
    summary = summarise_version(factory=factory, version_id=version_id, outcome=outcome)
    generated = _generated_range(outcome)
    with read(factory) as session:
        program = load_program_info(session)
        year = load_year(session, version.academic_year_id)
        people = PeopleRepository(session).in_year(version.academic_year_id)
        plan = _plan_view(session, program.name, program.timezone, version, year, people)
        shown = month or (generated[0] if generated else version.first_day)
        calendar = None
        if shown is not None:
            calendar = _calendar(session, version, people, shown, generated)
        record = generation_of(session, version_id)
    flagged = record.violation_count if record else 0
    names = {p.id: p.name for p in people}
    fairness = None
    if outcome is not None and outcome.fairness:
        fairness = fairness_view(outcome.fairness, {p.code: p.name for p in people})
    return DraftReview(
        program.name, version, outcome, diff, plan, calendar, flagged, summary, names, fairness
    )


def _generated_range(outcome: GenerationOutcome | None) -> tuple[dt.date, dt.date] | None:
    if outcome is None or "start" not in outcome.parameters:
        return None
    p = outcome.parameters
    return dt.date.fromisoformat(p["start"]), dt.date.fromisoformat(p["end"])


def _plan_view(
    session: Session,
    program_name: str,
    timezone: str,
    version: ScheduleVersion,
    year: AcademicYear,
    people: Sequence[Person],
) -> PlanView:
    cells = block_assignments(session, version.id)
    residents = sorted(
        (p for p in people if p.role is Role.RESIDENT and p.pgy is not None),
        key=lambda p: (p.pgy or 0, p.name, p.id),
    )
    groups = group_by_pgy(year, [(p, p.pgy or 0) for p in residents], cells)
    return PlanView(
        program_name=program_name,
        year_labels=(year.label,),
        year=year,
        version=PlanVersion(version.id, version.status, version.label),
        rotations=all_rotations(session),
        groups=groups,
        pgy_levels=tuple(group.pgy for group in groups),
        pgy=None,
        assignment_count=len(cells),
        today=program_today(timezone),
    )


def _month_days(day: dt.date) -> tuple[dt.date, ...]:
    first = day.replace(day=1)
    after = (first + dt.timedelta(days=32)).replace(day=1)
    return tuple(first + dt.timedelta(days=i) for i in range((after - first).days))


def _calendar(
    session: Session,
    version: ScheduleVersion,
    people: Sequence[Person],
    month: dt.date,
    generated: tuple[dt.date, dt.date] | None,
) -> MonthCalendar:
    days = _month_days(month)
    rows = ShiftAssignmentRepository(session).between([version.id], days[0], days[-1])
    codes: dict[tuple[int, dt.date], list[str]] = defaultdict(list)
    for _, a in rows:
        codes[(a.person_id, a.date)].append(a.shift_code)
    named = {a.person_id for _, a in rows}
    shown = sorted(
        (p for p in people if p.id in named),
        key=lambda p: (p.role is Role.FACULTY, p.pgy or 0, p.name, p.id),
    )
    return MonthCalendar(
        first=days[0],
        days=days,
        rows=tuple(
            CalendarRow(p, tuple(tuple(sorted(codes.get((p.id, d), ()))) for d in days))
            for p in shown
        ),
        generated=generated,
        previous=_neighbour(version, days[0] - dt.timedelta(days=1)),
        next=_neighbour(version, days[-1] + dt.timedelta(days=1)),
    )


def _neighbour(version: ScheduleVersion, day: dt.date) -> dt.date | None:
    """A month before or after the shown one, if the version has shifts there."""
    if version.first_day is None or version.last_day is None:
        return None
    near = _month_days(day)
    overlaps = near[0] <= version.last_day and near[-1] >= version.first_day
    return near[0] if overlaps else None
