"""The My schedule page's read model: one person's published shifts as an upcoming list and a
month calendar, their rotations, leave, holidays and days off, their hours this week and
four-week average (my_schedule_hours), their absences and requests.

The clock is injected (``now``, aware), as on the Today page; shift times are local wall-clock
times in the program's zone, converted as the validator converts them (core.intervals).

- **upcoming**: today and the ``UPCOMING_DAYS - 1`` days after it, the days with something on;
- **month**: the weeks (Monday to Sunday) holding the month's days, every day with its shifts,
  leave, holiday and rotation; a day the published schedule covers with no duty is a day off;
- a day no published version covers has no shifts and is not called a day off.

A fixed number of statements (about a dozen) whatever the number of shifts. What is the same
for every reader - the program, its years with their blocks and holidays, which version is
published for each, the shift types - is kept per process under the data generation of the
tables it reads (``CALENDAR_TABLES``): a view then reads one statement for it, not six.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from resched.core.errors import NotFound
from resched.core.intervals import assignment_interval, load_zone, local_datetime
from resched.core.model import (
    Absence,
    AbsenceStatus,
    AcademicYear,
    Assignment,
    Person,
    Program,
    Request,
    ShiftKind,
    ShiftType,
)
from resched.db.repositories import AcademicYearRepository, ProgramRepository, ShiftTypeRepository
from resched.db.repositories.schedule import ScheduleVersionRepository
from resched.services.common import read
from resched.services.pages.my_schedule_hours import (
    HoursSummary,
    count_hours,
    reach_days,
    week_of,
    window_of,
)
from resched.services.pages.my_schedule_reads import (
    RotationSpan,
    Span,
    read_absences,
    read_logged_work,
    read_person,
    read_plan,
    read_requests,
    read_shifts,
    record_spans,
)
from resched.services.read_cache import BoundedCache, kept
from resched.services.time_zone import describe_zone, program_zone
from resched.services.years import NO_PROGRAM_NAME, choose_year

UPCOMING_DAYS = 14
# Absences that keep someone away (or may): the others are history, not plans.
SHOWN_ABSENCES = frozenset({AbsenceStatus.APPROVED, AbsenceStatus.REQUESTED})

Factory = sessionmaker[Session]

# What ``_calendar`` reads; tests/services/test_my_schedule_cache.py holds it to this.
CALENDAR_TABLES = frozenset(
    {"program", "academic_year", "block", "holiday", "schedule_version", "shift_type"}
)


@dataclass(frozen=True, slots=True)
class _Calendar:
    """The program's settings every view reads, the same for every reader (never changed
    once stored: several requests may hold it at once)."""

    program: Program | None
    years: tuple[AcademicYear, ...]
    records: Mapping[int, Span]  # each year's published version id: the days it covers
    shift_types: tuple[ShiftType, ...]


def _calendar(factory: Factory) -> _Calendar:
    _, found = kept(
        factory, "my_schedule_calendar", _new_cache, CALENDAR_TABLES, (), lambda: _read(factory)
    )
    return found


def _new_cache() -> BoundedCache[_Calendar]:
    return BoundedCache(2)  # one entry is current; a second while a change lands


def _read(factory: Factory) -> _Calendar:
    with read(factory) as session:
        years = tuple(AcademicYearRepository(session).all())
        published = ScheduleVersionRepository(session).published_by_year()
        return _Calendar(
            program=ProgramRepository(session).get(),
            years=years,
            records=MappingProxyType(record_spans(years, published)),
            shift_types=tuple(ShiftTypeRepository(session).all()),
        )


@dataclass(frozen=True, slots=True)
class MyShift:
    """One shift: ``starts`` and ``ends`` aware local date-times (the scheduled end)."""

    shift: ShiftType
    day: dt.date
    starts: dt.datetime
    ends: dt.datetime

    @property
    def overnight(self) -> bool:
        return self.ends.date() > self.day

    @property
    def is_duty(self) -> bool:
        return self.shift.kind is not ShiftKind.OFF


@dataclass(frozen=True, slots=True)
class MyDay:
    day: dt.date
    shifts: tuple[MyShift, ...]
    absences: tuple[Absence, ...]
    rotation: RotationSpan | None
    holiday: bool
    scheduled: bool  # a published version covers the day
    is_today: bool
    in_month: bool = True

    @property
    def on_leave(self) -> bool:
        return any(a.status is AbsenceStatus.APPROVED for a in self.absences)

    @property
    def day_off(self) -> bool:
        """Published, and no duty (an "off" shift type, or nothing at all), and not leave."""
        return self.scheduled and not self.on_leave and not any(s.is_duty for s in self.shifts)

    @property
    def has_news(self) -> bool:
        """Worth a line of the upcoming list."""
        return bool(self.shifts or self.absences or self.holiday)


@dataclass(frozen=True, slots=True)
class MyScheduleView:
    program_name: str
    timezone: str
    now: dt.datetime  # aware, in the program's zone
    person: Person
    month: dt.date  # its first day
    published: bool  # a published version covers some day of the month or the upcoming days
    upcoming: tuple[MyDay, ...] = ()
    weeks: tuple[tuple[MyDay, ...], ...] = ()
    rotations: tuple[RotationSpan, ...] = ()  # over the month
    shift_types: tuple[ShiftType, ...] = ()  # the ones shown, by code: the legend
    absences: tuple[Absence, ...] = ()  # requested or approved, from this month or today on
    requests: tuple[Request, ...] = ()
    hours: HoursSummary | None = None

    @property
    def today(self) -> dt.date:
        return self.now.date()

    @property
    def previous_month(self) -> dt.date:
        return (self.month - dt.timedelta(days=1)).replace(day=1)

    @property
    def next_month(self) -> dt.date:
        return (self.month + dt.timedelta(days=31)).replace(day=1)

    @property
    def zone_label(self) -> str:
        """``America/Chicago (CST)``: the zone named once on the page."""
        return describe_zone(program_zone(self.timezone), self.now)


def month_grid(month: dt.date) -> Span:
    """Monday before (or of) the month's first day to the Sunday after (or of) its last."""
    first = month.replace(day=1)
    last = (first + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
    return week_of(first).start, week_of(last).end


def load_my_schedule(
    *, factory: Factory, person_id: int, now: dt.datetime, month: dt.date | None = None
) -> MyScheduleView:
    """``person_id``'s schedule as of ``now`` (aware), the calendar of ``month`` (default:
    this month). NotFound for an unknown person."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware date-time")
    calendar = _calendar(factory)
    program, years, records = calendar.program, calendar.years, calendar.records
    shift_types = calendar.shift_types
    zone = load_zone(program.timezone if program else "UTC")
    local_now = now.astimezone(zone)
    today = local_now.date()
    shown = (month or today).replace(day=1)
    year = choose_year(years, today)
    name = program.name if program else NO_PROGRAM_NAME
    with read(factory) as session:
        person = read_person(session, person_id, year.id if year else None)
        if person is None:
            raise NotFound(f"There is no person {person_id}.", details={"person_id": person_id})
        grid = month_grid(shown)
        upcoming = (today, today + dt.timedelta(days=UPCOMING_DAYS - 1))
        window = window_of(today)
        reach = (window.start - dt.timedelta(days=reach_days(shift_types)), window.end)
        shifts = read_shifts(session, person_id, records, (grid, upcoming, reach))
        # Leave from today on is listed however far ahead: a person has a handful.
        absences = read_absences(session, person_id, (grid, reach, (today, dt.date.max)))
        logged = read_logged_work(session, person_id, reach)
        plan = read_plan(
            session, person_id, records, (min(grid[0], today), max(grid[1], upcoming[1]))
        )
        requests = read_requests(session, person_id, min(grid[0], today))
    hours = None
    if program is not None:
        hours = count_hours(
            program=program,
            person=person,
            shift_types=shift_types,
            assignments=shifts,
            absences=absences,
            logged_work=logged,
            today=today,
        )
    days = _Days(shifts, shift_types, absences, plan, years, records, zone, today)
    weeks = days.weeks(grid, shown)
    soon = tuple(d for d in days.span(upcoming) if d.has_news)
    in_month = [d for week in weeks for d in week if d.in_month]
    return MyScheduleView(
        program_name=name,
        timezone=zone.key,
        now=local_now,
        person=person,
        month=shown,
        published=any(d.scheduled for d in (*in_month, *days.span(upcoming))),
        upcoming=soon,
        weeks=weeks,
        rotations=tuple(r for r in plan if r.first <= grid[1] and r.last >= grid[0]),
        shift_types=_legend(d for d in (*in_month, *soon)),
        absences=tuple(
            a for a in absences if a.status in SHOWN_ABSENCES and a.end >= min(shown, today)
        ),
        requests=requests,
        hours=hours,
    )


def _legend(days: Iterable[MyDay]) -> tuple[ShiftType, ...]:
    """The shift types of the shown days, by code: what the codes on the page mean."""
    found: dict[str, ShiftType] = {}
    for day in days:
        for shift in day.shifts:
            found[shift.shift.code] = shift.shift
    return tuple(found[code] for code in sorted(found))


class _Days:
    """Builds each shown day from what was read once."""

    def __init__(
        self,
        shifts: Sequence[Assignment],
        shift_types: Sequence[ShiftType],
        absences: Sequence[Absence],
        plan: Sequence[RotationSpan],
        years: Sequence[AcademicYear],
        records: Mapping[int, Span],
        zone: ZoneInfo,
        today: dt.date,
    ) -> None:
        types = {s.code: s for s in shift_types}
        self.shifts: dict[dt.date, list[MyShift]] = defaultdict(list)
        for a in shifts:
            shift = types[a.shift_code]
            interval = assignment_interval(a.date, shift, zone)
            starts = local_datetime(interval.start, zone)
            ends = local_datetime(interval.scheduled_end, zone)
            self.shifts[a.date].append(MyShift(shift, a.date, starts, ends))
        self.absences = [a for a in absences if a.status in SHOWN_ABSENCES]
        self.plan = plan
        self.holidays = frozenset(d for y in years for d in y.holidays)
        self.records = tuple(records.values())
        self.today = today

    def day(self, day: dt.date, in_month: bool = True) -> MyDay:
        shifts = sorted(self.shifts.get(day, ()), key=lambda s: (s.starts, s.shift.code))
        return MyDay(
            day=day,
            shifts=tuple(shifts),
            absences=tuple(a for a in self.absences if a.start <= day <= a.end),
            rotation=next((r for r in self.plan if r.first <= day <= r.last), None),
            holiday=day in self.holidays,
            scheduled=any(first <= day <= last for first, last in self.records),
            is_today=day == self.today,
            in_month=in_month,
        )

    def span(self, span: Span) -> tuple[MyDay, ...]:
        return tuple(self.day(d) for d in _dates(span))

    def weeks(self, grid: Span, month: dt.date) -> tuple[tuple[MyDay, ...], ...]:
        days = [self.day(d, (d.year, d.month) == (month.year, month.month)) for d in _dates(grid)]
        return tuple(tuple(days[k : k + 7]) for k in range(0, len(days), 7))


def _dates(span: Span) -> list[dt.date]:
    return [span[0] + dt.timedelta(days=k) for k in range((span[1] - span[0]).days + 1)]
