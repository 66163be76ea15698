"""Stored schedules: list and read versions, load one as the validator's input, export it in
the interchange format and check it against the rules.

A version is checked over a date range (default: its first to last assignment, else its
academic year) with 27 days of look-back before the range, so the first window's rules see the
shifts that lead into it (a call the night before, the calls of the previous weeks). The
look-back comes from the published record of each academic year; a published version is that
record for its own year. A draft is therefore checked as a continuation of what is published.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from resched.core.errors import Invalid, NotFound
from resched.core.interchange import write_report, write_schedule
from resched.core.interchange.fields import DATE_BOUNDS, EARLIEST_DATE, LATEST_DATE
from resched.core.model import (
    Absence,
    AcademicYear,
    Assignment,
    LoggedWork,
    Person,
    Role,
    ScheduleStatus,
)
from resched.core.rules import DateRange, Finding, ScheduleContext, ScheduleInput, check_all
from resched.db.records import Page
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
    approved_absences_between,
    logged_work_between,
)
from resched.services.absence_privacy import visible_absences, without_absence_details
from resched.services.common import DEFAULT_PAGE_SIZE, SessionFactory, check_page, not_found, read
from resched.services.permissions import EVERY_ABSENCE, AbsenceVisibility

ENTITY = "schedule_version"
LOOK_BACK_DAYS = 27  # the rest of a 28-day window that ends on the range's first day
MAX_RANGE_DAYS = 731  # two years: more is a typo, and would only make a request slow


@dataclass(frozen=True, slots=True)
class StoredSchedule:
    """A version loaded for a range: the validator's input, and how many of its assignments
    are look-back from the published record (dated before the range)."""

    version: ScheduleVersion
    schedule: ScheduleInput
    look_back: int = 0


@dataclass(frozen=True)
class ScheduleCheck:
    """A stored schedule validated: its context (for the accounting), findings and report."""

    stored: StoredSchedule
    context: ScheduleContext = field(repr=False)
    findings: list[Finding]

    def report(self) -> dict[str, Any]:
        """The ``resched.compliance/v1`` report, exactly as ``resched validate`` writes it."""
        s = self.stored.schedule
        return write_report(self.findings, s.range, s.people, s.assignments)


def invalid(path: str, message: str) -> Invalid:
    """An error in the shape of the interchange reader's: ``details["errors"]`` with paths."""
    return Invalid(f"{path}: {message}", details={"errors": [{"path": path, "message": message}]})


def list_schedules(
    *,
    factory: SessionFactory,
    limit: int = DEFAULT_PAGE_SIZE,
    offset: int = 0,
    academic_year_id: int | None = None,
    status: ScheduleStatus | None = None,
    include_drafts: bool = True,
) -> Page[ScheduleVersion]:
    """Versions, newest first, with their assignment counts and date spans (three queries).
    ``include_drafts=False`` is what residents and faculty see: published and archived only."""
    check_page(limit, offset)
    with read(factory) as session:
        return ScheduleVersionRepository(session).list_page(
            limit=limit,
            offset=offset,
            academic_year_id=academic_year_id,
            status=status,
            include_drafts=include_drafts,
        )


def get_schedule(
    *, factory: SessionFactory, version_id: int, include_drafts: bool = True
) -> ScheduleVersion:
    with read(factory) as session:
        version = ScheduleVersionRepository(session).get(version_id)
    return visible(version, version_id, include_drafts)


def visible(
    version: ScheduleVersion | None, version_id: int, include_drafts: bool
) -> ScheduleVersion:
    # A draft hidden from the reader answers like an unknown id: its existence is not theirs.
    if version is None or (version.status is ScheduleStatus.DRAFT and not include_drafts):
        not_found(ENTITY, version_id)
    return version


def default_schedule(
    *, factory: SessionFactory, include_drafts: bool = True
) -> ScheduleVersion | None:
    """The most recently published version, else (with drafts) the newest one not archived."""
    with read(factory) as session:
        repo = ScheduleVersionRepository(session)
        version_id = repo.default_id(include_drafts=include_drafts)
        return None if version_id is None else repo.get(version_id)


def load_schedule(
    *,
    factory: SessionFactory,
    version_id: int,
    start: dt.date | None = None,
    end: dt.date | None = None,
    include_drafts: bool = True,
) -> StoredSchedule:
    """The version as the validator's input over ``start``..``end`` (see the module doc for the
    defaults and the look-back). NotFound for an unknown version; Invalid (path ``end``) for
    an end before the start or a range over two years."""
    with read(factory) as session:
        version = visible(
            ScheduleVersionRepository(session).get(version_id), version_id, include_drafts
        )
        return _load(session, version, start, end)


def check_schedule(
    *,
    factory: SessionFactory,
    version_id: int,
    start: dt.date | None = None,
    end: dt.date | None = None,
    include_drafts: bool = True,
    absences: AbsenceVisibility = EVERY_ABSENCE,
    loaded: Callable[[StoredSchedule], None] | None = None,
) -> ScheduleCheck:
    """Validate a stored version: the same findings ``resched validate`` gives its export.
    Every reader gets every finding; ``absences`` says whose absences they may read about.
    ``loaded`` hears when the schedule is read, before the rules run (a job's progress)."""
    stored = load_schedule(
        factory=factory,
        version_id=version_id,
        start=start,
        end=end,
        include_drafts=include_drafts,
    )
    if loaded is not None:
        loaded(stored)
    return run_check(stored, absences)


def run_check(stored: StoredSchedule, absences: AbsenceVisibility) -> ScheduleCheck:
    """The rules over a loaded version (``check_schedule`` after the read)."""
    context = ScheduleContext(stored.schedule)
    return ScheduleCheck(stored, context, without_absence_details(check_all(context), absences))


def export_schedule(
    *,
    factory: SessionFactory,
    version_id: int,
    start: dt.date | None = None,
    end: dt.date | None = None,
    include_drafts: bool = True,
    absences: AbsenceVisibility = EVERY_ABSENCE,
) -> dict[str, Any]:
    """The ``resched.schedule/v1`` document of a version over a range, look-back included, so
    validating the document gives the findings of ``check_schedule`` (for a reader who sees
    every absence; others get only the absences they may see)."""
    stored = load_schedule(
        factory=factory,
        version_id=version_id,
        start=start,
        end=end,
        include_drafts=include_drafts,
    )
    s = stored.schedule
    _refuse_residents_without_pgy(s.people, stored.version)
    return write_schedule(
        program=s.program,
        people=s.people,
        shift_types=s.shift_types,
        assignments=s.assignments,
        absences=visible_absences(s.absences, absences),
        logged_work=s.logged_work,
        range=s.range,
    )


def resolve_range(
    version: ScheduleVersion, year: AcademicYear, start: dt.date | None, end: dt.date | None
) -> DateRange:
    """The range asked for; each missing end from the version's assignments, else its year.
    Days outside the interchange bounds are refused: the look-back before the year 1 (or a
    window past 9999) would overflow the calendar."""
    for name, day in (("start", start), ("end", end)):
        if day is not None and not EARLIEST_DATE <= day <= LATEST_DATE:
            raise invalid(name, f"expected {DATE_BOUNDS}, got {day.isoformat()}")
    first = start or version.first_day or year.start
    last = end or version.last_day or year.end
    if start is None and first > last:
        first = last  # only an end was given, before every assignment: a one-day range
    if end is None and last < first:
        last = first
    if last < first:
        raise invalid("end", f"{last.isoformat()} is before the start {first.isoformat()}")
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise invalid("end", f"the range is longer than {MAX_RANGE_DAYS} days")
    return DateRange(first, last)


def load_in(
    session: Session, version: ScheduleVersion, start: dt.date | None, end: dt.date | None
) -> StoredSchedule:
    """``load_schedule`` inside the caller's transaction (a change re-validates what it reads
    under the lock it writes with)."""
    return _load(session, version, start, end)


def _load(
    session: Session, version: ScheduleVersion, start: dt.date | None, end: dt.date | None
) -> StoredSchedule:
    program = ProgramRepository(session).get()
    if program is None:
        raise NotFound("no program is set up", details={"entity": "program"})
    years = AcademicYearRepository(session).all()
    year = next(y for y in years if y.id == version.academic_year_id)
    rng = resolve_range(version, year, start, end)
    back = rng.start - dt.timedelta(days=LOOK_BACK_DAYS)
    own = [
        a for _, a in ShiftAssignmentRepository(session).between([version.id], rng.start, rng.end)
    ]
    earlier = _look_back(session, version, years, back, rng.start - dt.timedelta(days=1))
    absences = approved_absences_between(session, back, rng.end)
    logged = logged_work_between(
        session,
        dt.datetime.combine(back, dt.time()),
        dt.datetime.combine(rng.end + dt.timedelta(days=1), dt.time()),
    )
    people = _people(PeopleRepository(session).in_year(year.id or 0), own, absences, logged, rng)
    ids = {p.id for p in people}
    earlier = [a for a in earlier if a.person_id in ids]
    schedule = ScheduleInput(
        program=program,
        people=tuple(people),
        shift_types=tuple(ShiftTypeRepository(session).all()),
        assignments=(*earlier, *own),
        range=rng,
        absences=tuple(a for a in absences if a.person_id in ids),
        logged_work=tuple(w for w in logged if w.person_id in ids),
        blocks=year.blocks,
    )
    return StoredSchedule(version, schedule, len(earlier))


def _look_back(
    session: Session,
    version: ScheduleVersion,
    years: Sequence[AcademicYear],
    first: dt.date,
    last: dt.date,
) -> list[Assignment]:
    """The published record of ``first``..``last``: each day from the version of record of the
    academic year holding it (this version, if published, for its own year)."""
    sources = ScheduleVersionRepository(session).published_by_year()
    if version.status is ScheduleStatus.PUBLISHED:
        sources[version.academic_year_id] = version.id
    spans = {sources[y.id]: (y.start, y.end) for y in years if y.id in sources and y.id is not None}
    found = ShiftAssignmentRepository(session).between(spans, first, last)
    return [a for vid, a in found if spans[vid][0] <= a.date <= spans[vid][1]]


def _people(
    in_year: Sequence[Person],
    own: Sequence[Assignment],
    absences: Sequence[Absence],
    logged: Sequence[LoggedWork],
    rng: DateRange,
) -> list[Person]:
    """Who the schedule is about: residents with a PGY level this year, active faculty, and
    anyone the version assigns or whose leave or logged work falls in the range. People only
    in the look-back (last year's graduates) are left out with their look-back rows."""
    named = {a.person_id for a in own}
    named |= {a.person_id for a in absences if rng.overlaps(a.start, a.end)}
    named |= {w.person_id for w in logged if rng.overlaps(w.start.date(), w.end.date())}
    return [
        p
        for p in in_year
        if p.id in named
        or (p.role is Role.RESIDENT and p.pgy is not None)
        or (p.role is Role.FACULTY and p.active)
    ]


def _refuse_residents_without_pgy(people: Sequence[Person], version: ScheduleVersion) -> None:
    # The format requires a PGY level for residents; the rules would assume PGY-1, but an export
    # must not invent a level another tool would take as fact.
    missing = [p.code for p in people if p.role is Role.RESIDENT and p.pgy is None]
    if missing:
        raise Invalid(
            f"people: {', '.join(missing)} have no PGY level in {version.academic_year_label}",
            details={
                "errors": [
                    {"path": f"people.{code}.pgy", "message": "no PGY level this academic year"}
                    for code in missing
                ]
            },
        )
