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
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from resched.core.intervals import assignment_interval, local_datetime
from resched.core.model import (
    AcademicYear,
    Assignment,
    Person,
    Role,
    Rotation,
    ShiftKind,
    ShiftType,
)
from resched.db.repositories import (
    AcademicYearRepository,
    PeopleRepository,
    ProgramRepository,
    ShiftTypeRepository,
)
from resched.db.repositories.schedule import ScheduleVersionRepository, ShiftAssignmentRepository
from resched.services.common import read
from resched.services.pages.today_summary import CoordinatorSummary, coordinator_summary
from resched.services.plan_spans import plan_between
from resched.services.read_cache import BoundedCache, kept
from resched.services.time_zone import describe_zone, program_zone
from resched.services.years import NO_PROGRAM_NAME, choose_year

EVENING = dt.time(17, 0)

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
    findings but still the requests and jobs).

    The duty lists are the same for every reader: they are kept per process while the data
    generation of the tables they read (resched.db.generation) stands, for the minute (shifts
    start and end on whole minutes, so a shift is on at ``now`` exactly when it is on at the
    minute that holds it)."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware date-time")
    minute = now.replace(second=0, microsecond=0)
    _, (view, year) = kept(
        factory, "today_board", _new_cache, BOARD_TABLES, (minute,), lambda: _board(factory, minute)
    )
    view = dataclasses.replace(view, now=now.astimezone(view.now.tzinfo))
    if not coordinator:
        return view
    summary = coordinator_summary(factory, view.day, view.version_id, year)
    return dataclasses.replace(view, coordinator=summary)


# What the duty lists read; tests/services/test_today_cache.py holds them to this.
BOARD_TABLES = frozenset(
    {
        "academic_year",
        "block",
        "block_assignment",
        "holiday",
        "person",
        "person_year",
        "program",
        "rotation",
        "schedule_version",
        "shift_assignment",
        "shift_type",
    }
)
Board = tuple[TodayView, AcademicYear | None]  # the lists, and the academic year of today


def _new_cache() -> BoundedCache[Board]:
    return BoundedCache(8)  # a few minutes; a board is a day's shifts, some kB


def _board(factory: Factory, now: dt.datetime) -> Board:
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
            return TodayView(name, zone.key, local_now, None), None
        duties = _duties(session, years, published, zone, day)
        people = {p.id: p for p in PeopleRepository(session).in_year(year.id or 0)}
        rotations = _rotations_on(session, version_id, day)
    on_now, today, tonight = _sections(duties, people, rotations, local_now)
    return TodayView(name, zone.key, local_now, version_id, on_now, today, tonight), year


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


def has_published_schedule(*, factory: Factory) -> bool:
    """Whether a program exists with a published schedule: then Today is the landing page."""
    with read(factory) as session:
        if ProgramRepository(session).get() is None:
            return False
        return bool(ScheduleVersionRepository(session).published_by_year())
