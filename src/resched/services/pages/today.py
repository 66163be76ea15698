"""The Today page's read model: who is on which shift now, today and tonight, by rotation and
shift type, with their phone and pager; for coordinators also the open requests, the coverage
gaps and rule findings of the next four weeks and the running jobs.

The clock is injected (``now``, an aware instant): the page passes the wall clock, tests a
fixed time. Shift times are local wall-clock times in the program's time zone, converted as
the validator converts them (core.intervals), so a night across a DST change ends at the
right instant.

- **now**: shifts dated yesterday or today whose scheduled time holds ``now`` (a night shift
  that started yesterday evening is on now, this morning);
- **today**: shifts dated today starting before ``EVENING`` (17:00 local);
- **tonight**: shifts dated today starting at or after ``EVENING`` or running past midnight
  (a 24-hour call is on both lists: it covers both).

Shift types of kind "off" are no duty and are left out. A resident's group is their rotation
on the shown day in the published plan (the half block holding it, for split blocks); people
without one (faculty, residents off the plan) have groups of their own.

A fixed number of statements whatever the size: about nine for everyone, a dozen and a half
more for a coordinator (the compliance check of the four weeks, the requests, the jobs).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from resched.core.coverage_gaps import CoverageGap, coverage_gaps
from resched.core.intervals import assignment_interval, local_datetime
from resched.core.model import (
    AcademicYear,
    Assignment,
    Person,
    RequestStatus,
    Role,
    Rotation,
    ShiftKind,
    ShiftType,
)
from resched.core.rules import Severity
from resched.db.repositories import (
    AcademicYearRepository,
    CoverageRepository,
    PeopleRepository,
    ProgramRepository,
    ShiftTypeRepository,
)
from resched.db.repositories.jobs import Job
from resched.db.repositories.schedule import ScheduleVersionRepository, ShiftAssignmentRepository
from resched.db.tables.jobs import JobStatus
from resched.services.check_cache import cached_check
from resched.services.common import read
from resched.services.contingency.news import ContingencyNews, contingency_news
from resched.services.jobs.queue import list_jobs
from resched.services.plan_spans import planned_spans
from resched.services.requests import list_requests
from resched.services.time_zone import describe_zone, program_zone
from resched.services.years import NO_PROGRAM_NAME, choose_year

EVENING = dt.time(17, 0)
LOOK_AHEAD_DAYS = 28  # the coordinator's "next four weeks", today included
GAPS_SHOWN = 5  # coverage gaps listed on the page; the count covers them all
JOBS_SHOWN = 5

Factory = sessionmaker[Session]


@dataclass(frozen=True, slots=True)
class OnDuty:
    """A person on one shift: ``starts`` and ``ends`` are aware local date-times (the scheduled
    end, without the hand-over time)."""

    person: Person
    shift: ShiftType
    day: dt.date
    starts: dt.datetime
    ends: dt.datetime


@dataclass(frozen=True, slots=True)
class ShiftGroup:
    shift: ShiftType
    people: tuple[OnDuty, ...]


@dataclass(frozen=True, slots=True)
class DutyGroup:
    """The people of one rotation (or of none: ``rotation`` None, ``label`` says who)."""

    label: str
    rotation: Rotation | None
    shifts: tuple[ShiftGroup, ...]

    @property
    def count(self) -> int:
        return sum(len(s.people) for s in self.shifts)


@dataclass(frozen=True, slots=True)
class CoordinatorSummary:
    """What needs a coordinator: open requests, the next four weeks' findings and coverage
    gaps of the published schedule (``start``..``end``), and the jobs queued or running."""

    open_requests: int
    start: dt.date
    end: dt.date
    violations: int
    warnings: int
    findings_by_rule: tuple[tuple[str, int], ...]
    gaps: tuple[CoverageGap, ...]
    gap_count: int
    jobs: tuple[Job, ...]
    job_count: int
    contingency: ContingencyNews | None = None  # the latest analysis of the schedule


@dataclass(frozen=True, slots=True)
class TodayView:
    program_name: str
    timezone: str
    now: dt.datetime  # aware, in the program's zone
    version_id: int | None  # the published version holding today, if any
    on_now: tuple[DutyGroup, ...] = ()
    today: tuple[DutyGroup, ...] = ()
    tonight: tuple[DutyGroup, ...] = ()
    coordinator: CoordinatorSummary | None = None

    @property
    def day(self) -> dt.date:
        return self.now.date()

    @property
    def zone_label(self) -> str:
        """``America/Chicago (CST)``: the zone named once on the page."""
        return describe_zone(program_zone(self.timezone), self.now)


def load_today(*, factory: Factory, now: dt.datetime, coordinator: bool = False) -> TodayView:
    """Today as of ``now`` (aware). Without a program, or without a published schedule for
    today's academic year, the view has no duty lists (and, for a coordinator, no summary of
    findings but still the requests and jobs)."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware date-time")
    with read(factory) as session:
        program = ProgramRepository(session).get()
        name = program.name if program else NO_PROGRAM_NAME
        zone = program_zone(program.timezone if program else None)
        local_now = now.astimezone(zone)
        day = local_now.date()
        years = AcademicYearRepository(session).all()
        year = _year_of(years, day)
        published = ScheduleVersionRepository(session).published_by_year()
        version_id = published.get(year.id) if year and year.id is not None else None
        if program is None or year is None or version_id is None:
            view = TodayView(name, zone.key, local_now, None)
            return _with_summary(factory, view, None, coordinator)
        duties = _duties(session, years, published, zone, day)
        people = {p.id: p for p in PeopleRepository(session).in_year(year.id or 0)}
        rotations = _rotations_on(session, version_id, day)
    on_now, today, tonight = _sections(duties, people, rotations, local_now)
    view = TodayView(name, zone.key, local_now, version_id, on_now, today, tonight)
    return _with_summary(factory, view, year, coordinator)


def _year_of(years: Sequence[AcademicYear], day: dt.date) -> AcademicYear | None:
    year = choose_year(years, day)
    return year if year is not None and year.start <= day <= year.end else None


@dataclass(frozen=True, slots=True)
class _Duty:
    assignment: Assignment
    shift: ShiftType
    starts: dt.datetime
    ends: dt.datetime


def _duties(
    session: Session,
    years: Sequence[AcademicYear],
    published: Mapping[int, int],
    zone: ZoneInfo,
    day: dt.date,
) -> list[_Duty]:
    """The published shifts dated yesterday and today (each day from its year's version of
    record: the first of July's night reads last year's June 30th)."""
    spans = {
        published[y.id]: (y.start, y.end) for y in years if y.id is not None and y.id in published
    }
    yesterday = day - dt.timedelta(days=1)
    found = ShiftAssignmentRepository(session).between(spans, yesterday, day)
    shifts = {s.code: s for s in ShiftTypeRepository(session).all()}
    duties = []
    for version_id, assignment in found:
        first, last = spans[version_id]
        shift = shifts.get(assignment.shift_code)
        if shift is None or shift.kind is ShiftKind.OFF or not first <= assignment.date <= last:
            continue
        interval = assignment_interval(assignment.date, shift, zone)
        starts = local_datetime(interval.start, zone)
        ends = local_datetime(interval.scheduled_end, zone)
        duties.append(_Duty(assignment, shift, starts, ends))
    return duties


def _rotations_on(session: Session, version_id: int, day: dt.date) -> dict[int, Rotation]:
    """Person id -> their rotation on ``day`` in the version's plan (one query)."""
    plan = plan_between(session, version_id, day, day)
    return {
        person_id: rotation
        for person_id, spans in plan.items()
        for first, last, rotation in spans
        if first <= day <= last
    }


def _sections(
    duties: Iterable[_Duty],
    people: Mapping[int, Person],
    rotations: Mapping[int, Rotation],
    now: dt.datetime,
) -> tuple[tuple[DutyGroup, ...], tuple[DutyGroup, ...], tuple[DutyGroup, ...]]:
    """The groups on now, today and tonight."""
    day = now.date()
    on_now: list[OnDuty] = []
    today: list[OnDuty] = []
    tonight: list[OnDuty] = []
    for duty in duties:
        person = people.get(duty.assignment.person_id)
        if person is None:
            continue
        entry = OnDuty(person, duty.shift, duty.assignment.date, duty.starts, duty.ends)
        if duty.starts <= now < duty.ends:
            on_now.append(entry)
        if duty.assignment.date != day:
            continue
        if duty.shift.start < EVENING:
            today.append(entry)
        if duty.shift.start >= EVENING or duty.ends.date() > day:
            tonight.append(entry)
    return _group(on_now, rotations), _group(today, rotations), _group(tonight, rotations)


NO_ROTATION = "No rotation today"
FACULTY = "Faculty"


def _group(entries: Sequence[OnDuty], rotations: Mapping[int, Rotation]) -> tuple[DutyGroup, ...]:
    """Rotations by name, then residents without one, then faculty; within a group shift
    types by start time; within a shift residents by PGY (senior first), then by name."""
    grouped: dict[tuple[int, str], dict[str, list[OnDuty]]] = defaultdict(lambda: defaultdict(list))
    found: dict[tuple[int, str], Rotation | None] = {}
    for entry in entries:
        rotation = rotations.get(entry.person.id)
        if rotation is not None:
            key = (0, rotation.name)
        else:
            key = (2, FACULTY) if entry.person.role is Role.FACULTY else (1, NO_ROTATION)
        found[key] = rotation
        grouped[key][entry.shift.code].append(entry)
    groups = []
    for key in sorted(grouped):
        shifts = [
            ShiftGroup(people[0].shift, tuple(sorted(people, key=_person_order)))
            for people in grouped[key].values()
        ]
        shifts.sort(key=lambda s: (s.people[0].starts, s.shift.code))
        groups.append(DutyGroup(key[1], found[key], tuple(shifts)))
    return tuple(groups)


def _person_order(entry: OnDuty) -> tuple[int, str, str]:
    return (-(entry.person.pgy or 0), entry.person.name, entry.person.code)


def _with_summary(
    factory: Factory, view: TodayView, year: AcademicYear | None, coordinator: bool
) -> TodayView:
    if not coordinator:
        return view
    requests = list_requests(factory=factory, limit=1, status=RequestStatus.OPEN).total
    running = list_jobs(factory=factory, limit=JOBS_SHOWN, status=JobStatus.RUNNING)
    queued = list_jobs(factory=factory, limit=JOBS_SHOWN, status=JobStatus.QUEUED)
    jobs = (*running.items, *queued.items)[:JOBS_SHOWN]
    start = view.day
    end = start + dt.timedelta(days=LOOK_AHEAD_DAYS - 1)
    if year is not None:
        end = min(end, year.end)  # a check reads one academic year
    violations = warnings = 0
    by_rule: Counter[str] = Counter()
    gaps: list[CoverageGap] = []
    if view.version_id is not None and year is not None:
        checked = cached_check(
            factory=factory, version_id=view.version_id, start=start, end=end, include_drafts=False
        )
        for finding in checked.findings:
            if finding.end < start:
                continue  # about the look-back only
            by_rule[finding.rule] += 1
            if finding.severity is Severity.VIOLATION:
                violations += 1
            else:
                warnings += 1
        schedule = checked.stored.schedule
        with read(factory) as session:
            needs = CoverageRepository(session).all()
            plan = {
                person_id: [(first, last, r.code) for first, last, r in spans]
                for person_id, spans in plan_between(session, view.version_id, start, end).items()
            }
        gaps = coverage_gaps(
            needs,
            [a for a in schedule.assignments if start <= a.date <= end],
            schedule.people,
            plan,
            frozenset(year.holidays),
            start,
            end,
        )
    summary = CoordinatorSummary(
        open_requests=requests,
        start=start,
        end=end,
        violations=violations,
        warnings=warnings,
        findings_by_rule=tuple(sorted(by_rule.items(), key=lambda item: (-item[1], item[0]))),
        gaps=tuple(gaps[:GAPS_SHOWN]),
        gap_count=len(gaps),
        jobs=jobs,
        job_count=running.total + queued.total,
        contingency=None
        if view.version_id is None
        else contingency_news(factory=factory, version_id=view.version_id),
    )
    return dataclasses.replace(view, coordinator=summary)


Plan = dict[int, list[tuple[dt.date, dt.date, Rotation]]]  # person id -> (first, last, rotation)


def plan_between(session: Session, version_id: int, start: dt.date, end: dt.date) -> Plan:
    """Each person's rotations over ``start``..``end`` as date spans, a half block its half
    (one query)."""
    plan: Plan = defaultdict(list)
    for span in planned_spans(session, (version_id,), start, end):
        plan[span.person_id].append((span.first, span.last, span.rotation))
    return plan


def has_published_schedule(*, factory: Factory) -> bool:
    """Whether a program exists with a published schedule: then Today is the landing page."""
    with read(factory) as session:
        if ProgramRepository(session).get() is None:
            return False
        return bool(ScheduleVersionRepository(session).published_by_year())
